package dev.steadfast.net.assoc;

/** A negotiated presentation context: what was proposed and what the acceptor answered. */
public record PresentationContext(int id, String abstractSyntax, String transferSyntax, int result) {
    public boolean accepted() {
        return result == 0;
    }
}
