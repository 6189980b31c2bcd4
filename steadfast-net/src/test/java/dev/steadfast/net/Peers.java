package dev.steadfast.net;

import dev.steadfast.testing.Corpus;

import java.util.List;

/**
 * An alias of {@link dev.steadfast.testing.Peers} (its static methods and {@code Result} are
 * inherited), kept so tests written against this old location on other branches still compile
 * when merged. New tests import {@code dev.steadfast.testing.Peers}; delete this once none uses it.
 */
public final class Peers extends dev.steadfast.testing.Peers {
    private Peers() {
    }

    /** The old row form of {@link Corpus#wellFormed()}: path, transfer syntax UID, its manifest text, SOP class UID. */
    public static List<String[]> corpus() {
        return Corpus.wellFormed().stream()
                .map(e -> new String[] {e.path().toString(), e.transferSyntaxUid(), e.transferSyntax(), e.sopClassUid()})
                .toList();
    }
}
