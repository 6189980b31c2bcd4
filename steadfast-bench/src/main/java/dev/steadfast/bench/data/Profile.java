package dev.steadfast.bench.data;

/** What kind of studies a generated data set holds. */
public enum Profile {
    /** CT studies of 100-300 instances, 512x512, 16 bit. */
    CT,
    /** MR studies of 3-8 series of 15-40 instances, 256x256, 16 bit. */
    MR,
    /** CR and DX studies of 1-4 large radiographs (about 2000x2500, 16 bit). */
    CR,
    /** Many small studies (1-20 instances of 64x64): index scale and per-instance overhead. */
    SMALL,
    /** A hospital's mix: 30 % CR, 15 % DX, 30 % CT, 25 % MR (full-size pixel data). */
    MIXED,
    /**
     * The mix of {@link #MIXED} with about 100 instances per study on average and 8x8 pixel
     * data: headers as the index sees them, for seeding millions of instances.
     */
    INDEX
}
