package dev.steadfast.server.testing;

/**
 * An alias of {@link dev.steadfast.testing.Peers} (its static methods and {@code Result} are
 * inherited), kept so tests written against this old location on other branches still compile
 * when merged. New tests import {@code dev.steadfast.testing.Peers}; delete this once none uses it.
 */
public final class Peers extends dev.steadfast.testing.Peers {
    private Peers() {
    }
}
