package dev.steadfast.imaging.jpegls;

import dev.steadfast.imaging.PixelDataException;

/**
 * The context modelling and coding of one JPEG-LS scan (ITU-T T.87 Annex A), shared by the
 * encoder and the decoder so both sides update their state identically. Lines hold
 * {@code width + 2} pixels of {@code nc} samples with one pixel of margin on each side.
 */
final class JlsScanCoder {
    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                    4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private final JlsParameters p;
    private final JlsBitReader in;
    private final JlsBitWriter out;
    private final int[] a = new int[367];
    private final int[] b = new int[367];
    private final int[] c = new int[367];
    private final int[] n = new int[367];
    private final int[] nn = new int[367];
    int runIndex;

    JlsScanCoder(JlsParameters p, JlsBitReader in, JlsBitWriter out) {
        this.p = p;
        this.in = in;
        this.out = out;
        int init = Math.max(2, (p.range() + 32) / 64);
        java.util.Arrays.fill(a, init);
        java.util.Arrays.fill(n, 1);
    }

    private boolean encoding() { return out != null; }

    /** Codes one line of single-component samples; cur and prev are indexed from 1. */
    void line(int[] prev, int[] cur, int width) {
        int i = 1;
        while (i <= width) {
            int ra = cur[i - 1];
            int rb = prev[i];
            int rc = prev[i - 1];
            int rd = prev[i + 1];
            int q1 = p.quantizeGradient(rd - rb);
            int q2 = p.quantizeGradient(rb - rc);
            int q3 = p.quantizeGradient(rc - ra);
            if (q1 == 0 && q2 == 0 && q3 == 0) {
                i += runMode(prev, cur, i, width, 1);
            } else {
                cur[i] = regular((q1 * 9 + q2) * 9 + q3, cur[i], predict(ra, rb, rc));
                i++;
            }
        }
    }

    /** Codes one line of sample-interleaved pixels ({@code nc} samples each). */
    void lineInterleaved(int[] prev, int[] cur, int width, int nc) {
        int[] qs = new int[nc];
        int i = 1;
        while (i <= width) {
            boolean allZero = true;
            for (int s = 0; s < nc; s++) {
                int ra = cur[(i - 1) * nc + s];
                int rb = prev[i * nc + s];
                int rc = prev[(i - 1) * nc + s];
                int rd = prev[(i + 1) * nc + s];
                qs[s] = (p.quantizeGradient(rd - rb) * 9 + p.quantizeGradient(rb - rc)) * 9 + p.quantizeGradient(rc - ra);
                allZero &= qs[s] == 0;
            }
            if (allZero) {
                i += runMode(prev, cur, i, width, nc);
                continue;
            }
            for (int s = 0; s < nc; s++) {
                int ra = cur[(i - 1) * nc + s];
                int rb = prev[i * nc + s];
                int rc = prev[(i - 1) * nc + s];
                cur[i * nc + s] = regular(qs[s], cur[i * nc + s], predict(ra, rb, rc));
            }
            i++;
        }
    }

    static int predict(int ra, int rb, int rc) {
        if (rc >= Math.max(ra, rb)) {
            return Math.min(ra, rb);
        }
        if (rc <= Math.min(ra, rb)) {
            return Math.max(ra, rb);
        }
        return ra + rb - rc;
    }

    private int regular(int qs, int x, int pred) {
        int sign = qs < 0 ? -1 : 0;
        int q = applySign(qs, sign);
        int k = 0;
        while ((n[q] << k) < a[q]) {
            k++;
        }
        int px = pred + applySign(c[q], sign);
        px = px < 0 ? 0 : Math.min(px, p.maxVal());
        int errval;
        int correction = k == 0 && p.near() == 0 && 2 * b[q] + n[q] - 1 < 0 ? -1 : 0;
        if (encoding()) {
            errval = p.errorValue(applySign(x - px, sign));
            int e = correction ^ errval;
            encodeMapped(k, (e >> 30) ^ (2 * e), p.limit());
        } else {
            int m = decodeValue(k, p.limit());
            errval = ((m << 31) >> 31) ^ (m >> 1);
            errval ^= correction;
        }
        update(q, errval);
        return p.reconstruct(px, applySign(errval, sign));
    }

    private void update(int q, int errval) {
        int aq = a[q] + Math.abs(errval);
        int bq = b[q] + errval * (2 * p.near() + 1);
        int nq = n[q];
        if (nq == p.reset()) {
            aq >>= 1;
            bq >>= 1;
            nq >>= 1;
        }
        nq++;
        a[q] = aq;
        n[q] = nq;
        if (bq + nq <= 0) {
            bq += nq;
            if (bq <= -nq) {
                bq = -nq + 1;
            }
            if (c[q] > -128) {
                c[q]--;
            }
        } else if (bq > 0) {
            bq -= nq;
            if (bq > 0) {
                bq = 0;
            }
            if (c[q] < 127) {
                c[q]++;
            }
        }
        b[q] = bq;
    }

    /** Run mode (A.7): returns the number of pixels consumed, interruption included. */
    private int runMode(int[] prev, int[] cur, int start, int width, int nc) {
        int remaining = width - start + 1;
        int run;
        if (encoding()) {
            run = 0;
            while (run < remaining && near(cur, start + run, cur, start - 1, nc)) {
                copyPixel(cur, start - 1, start + run, nc);
                run++;
            }
            encodeRun(run, run == remaining);
        } else {
            run = decodeRun(remaining);
            for (int r = 0; r < run; r++) {
                copyPixel(cur, start - 1, start + r, nc);
            }
        }
        if (run == remaining) {
            return run;
        }
        int x = start + run;
        for (int s = 0; s < nc; s++) {
            int ra = cur[(start - 1) * nc + s];
            int rb = prev[x * nc + s];
            cur[x * nc + s] = interruption(cur[x * nc + s], ra, rb, nc > 1);
        }
        runIndex = Math.max(0, runIndex - 1);
        return run + 1;
    }

    private boolean near(int[] l, int i, int[] m, int j, int nc) {
        for (int s = 0; s < nc; s++) {
            if (Math.abs(l[i * nc + s] - m[j * nc + s]) > p.near()) {
                return false;
            }
        }
        return true;
    }

    private static void copyPixel(int[] l, int from, int to, int nc) {
        System.arraycopy(l, from * nc, l, to * nc, nc);
    }

    private void encodeRun(int run, boolean endOfLine) {
        while (run >= (1 << J[runIndex])) {
            out.write(1, 1);
            run -= 1 << J[runIndex];
            runIndex = Math.min(31, runIndex + 1);
        }
        if (endOfLine) {
            if (run != 0) {
                out.write(1, 1);
            }
        } else {
            out.write(run, J[runIndex] + 1);
        }
    }

    private int decodeRun(int remaining) {
        int index = 0;
        while (in.readBit() == 1) {
            int count = Math.min(1 << J[runIndex], remaining - index);
            index += count;
            if (count == (1 << J[runIndex])) {
                runIndex = Math.min(31, runIndex + 1);
            }
            if (index == remaining) {
                break;
            }
        }
        if (index != remaining) {
            index += J[runIndex] > 0 ? in.read(J[runIndex]) : 0;
        }
        if (index > remaining) {
            throw new PixelDataException("corrupt JPEG-LS data: run past the end of the line");
        }
        return index;
    }

    /** The sample ending a run (A.7.2); interleaved pixels always use run context 0 as CharLS does. */
    private int interruption(int x, int ra, int rb, boolean interleaved) {
        int riType = !interleaved && Math.abs(ra - rb) <= p.near() ? 1 : 0;
        int q = 365 + riType;
        int px = riType == 1 ? ra : rb;
        int sign = riType == 1 || rb >= ra ? 1 : -1;
        int temp = a[q] + (n[q] >> 1) * riType;
        int k = 0;
        while ((n[q] << k) < temp) {
            k++;
        }
        int limit = p.limit() - J[runIndex] - 1;
        int errval;
        int em;
        if (encoding()) {
            errval = p.errorValue(sign * (x - px));
            boolean map = (k == 0 && errval > 0 && 2 * nn[q] < n[q]) || (errval < 0 && 2 * nn[q] >= n[q])
                    || (errval < 0 && k != 0);
            em = 2 * Math.abs(errval) - riType - (map ? 1 : 0);
            encodeMapped(k, em, limit);
        } else {
            em = decodeValue(k, limit);
            int t = em + riType;
            boolean map = (t & 1) != 0;
            int abs = (t + (map ? 1 : 0)) / 2;
            errval = (k != 0 || 2 * nn[q] >= n[q]) == map ? -abs : abs;
        }
        if (errval < 0) {
            nn[q]++;
        }
        a[q] += (em + 1 - riType) >> 1;
        if (n[q] == p.reset()) {
            a[q] >>= 1;
            n[q] >>= 1;
            nn[q] >>= 1;
        }
        n[q]++;
        return p.reconstruct(px, errval * sign);
    }

    private int decodeValue(int k, int limit) {
        int high = in.readUnary(limit);
        if (high >= limit - (p.qbpp() + 1)) {
            return in.read(p.qbpp()) + 1;
        }
        return k == 0 ? high : (high << k) + in.read(k);
    }

    private void encodeMapped(int k, int mapped, int limit) {
        int high = mapped >>> k;
        if (high < limit - p.qbpp() - 1) {
            out.zeros(high);
            out.write(1, 1);
            out.write(mapped & ((1 << k) - 1), k);
            return;
        }
        out.zeros(limit - p.qbpp() - 1);
        out.write(1, 1);
        out.write((mapped - 1) & ((1 << p.qbpp()) - 1), p.qbpp());
    }

    private static int applySign(int i, int sign) {
        return (sign ^ i) - sign;
    }
}
