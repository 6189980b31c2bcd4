package dev.steadfast.archive.scrub;

/** Progress of a long pass, for a progress bar; the default ignores it. */
public interface Progress {
    Progress NONE = new Progress() {};

    /** How many objects the pass will look at. */
    default void start(long objects) {}

    /** One more object done. */
    default void step() {}
}
