package dev.steadfast.web.imaging;

import java.time.Duration;

/**
 * What a render warm-up did (issue 19): how many synthetic images it rendered, over what wall time,
 * the process's CPU over that time (its own work, the JIT compiling it, and whatever else the node did
 * meanwhile: an upper bound), and why it stopped.
 */
public record WarmUpResult(int images, Duration wall, Duration processCpu, Stop stop) {
    /** Why the warm-up ended. */
    public enum Stop {
        /** every round ran */
        DONE,
        /** a real rendered request arrived: from then on the requests warm the code themselves */
        REQUEST_ARRIVED,
        /** the imaging pool was busy (503) or a render failed: the warm-up gives way */
        GAVE_WAY,
        /** the server is stopping */
        CLOSED,
        /** switched off (imaging.warm-up: false), or an imaging hook without one */
        OFF
    }

    public static WarmUpResult off() {
        return new WarmUpResult(0, Duration.ZERO, Duration.ZERO, Stop.OFF);
    }
}
