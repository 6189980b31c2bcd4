package dev.steadfast.archive.storage;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * SHA-256 digests for the byte paths (ingest, storage, reindex): OpenSSL's libcrypto when the JVM
 * lets this code call it, the JDK's otherwise. Both give the same digest; only the speed differs.
 *
 * <p>Why: every stored byte is hashed twice at ingest (the stored file, and the data set as
 * received, which the index, the journal and the second site's inventory compare; neither can be
 * derived from the other). On this project's machines the JDK's SHA-256 intrinsic runs at about
 * 550 MB/s and libcrypto's SHA-NI code at about 1,750 MB/s (docs/PERFORMANCE.md, issue 19), so the
 * two passes over a 530 KB CT instance cost 0.6 ms instead of 1.9 ms.
 *
 * <p>How: the Foreign Function and Memory API of JDK 22+ (critical downcalls that read the Java
 * byte arrays in place, no copy). The code compiles for Java 21, where that API is a preview, so
 * it is reached through method handles looked up at run time. The deprecated one-shot
 * {@code SHA256_Init/Update/Final} calls keep the context in a Java byte array, so there is no
 * native memory to free. Used only when all of this is there: JDK 22+, native access granted to
 * this module ({@code --enable-native-access}, which the launcher, the jar's manifest and the
 * tests grant; without it the JDK would print a warning), {@code libcrypto.so.3} present and
 * answering the known digest of "abc".
 */
public final class Sha256 {
    /** SHA256_CTX is 112 bytes in OpenSSL 1.1 and 3.x; a little room to spare. */
    private static final int CTX_BYTES = 128;
    private static final Native NATIVE = Native.load().orElse(null);
    // Constants, so the JIT inlines the downcalls.
    private static final MethodHandle INIT = NATIVE == null ? null : NATIVE.init();
    private static final MethodHandle UPDATE = NATIVE == null ? null : NATIVE.update();
    private static final MethodHandle FINAL = NATIVE == null ? null : NATIVE.fin();

    private Sha256() {}

    /** A fresh SHA-256 digest (not thread-safe, like any {@link MessageDigest}). */
    public static MessageDigest newDigest() {
        if (NATIVE != null) {
            return new NativeDigest(INIT, UPDATE, FINAL);
        }
        return jdk();
    }

    /** Whether digests come from libcrypto (for the start-up log and the benchmark notes). */
    public static boolean isNative() {
        return NATIVE != null;
    }

    static MessageDigest jdk() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The three libcrypto calls, as handles of types this Java 21 code can name: (Object, byte[], long...). */
    private record Native(MethodHandle init, MethodHandle update, MethodHandle fin) {

        static Optional<Native> load() {
            try {
                if (Runtime.version().feature() < 22 || !nativeAccessGranted()) {
                    return Optional.empty();
                }
                Native n = link();
                NativeDigest probe = new NativeDigest(n.init(), n.update(), n.fin());
                probe.update("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String hex = java.util.HexFormat.of().formatHex(probe.digest());
                return hex.equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                        ? Optional.of(n) : Optional.empty();
            } catch (Throwable e) { // no libcrypto, an unknown build of it, or no FFM: the JDK's digest
                return Optional.empty();
            }
        }

        private static boolean nativeAccessGranted() throws ReflectiveOperationException {
            Method granted = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean) granted.invoke(Sha256.class.getModule());
        }

        /** Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(INT, ADDRESS, ...), critical(true)). */
        private static Native link() throws Throwable {
            ClassLoader boot = null;
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment", false, boot);
            Class<?> arena = Class.forName("java.lang.foreign.Arena", false, boot);
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup", false, boot);
            Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout", false, boot);
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout", false, boot);
            Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor", false, boot);
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker", false, boot);
            Class<?> option = Class.forName("java.lang.foreign.Linker$Option", false, boot);

            Object global = arena.getMethod("global").invoke(null);
            Object lib = lookupType.getMethod("libraryLookup", String.class, arena).invoke(null, "libcrypto.so.3", global);
            Method find = lookupType.getMethod("find", String.class);
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object address = valueLayout.getField("ADDRESS").get(null);
            Object jint = valueLayout.getField("JAVA_INT").get(null);
            Object jlong = valueLayout.getField("JAVA_LONG").get(null);
            Object options = Array.newInstance(option, 1);
            Array.set(options, 0, option.getMethod("critical", boolean.class).invoke(null, true));
            Method of = descriptor.getMethod("of", layout, layout.arrayType());
            Method downcall = linkerType.getMethod("downcallHandle", segment, descriptor, options.getClass());

            Object[] initArgs = (Object[]) Array.newInstance(layout, 1);
            initArgs[0] = address;
            Object[] updateArgs = (Object[]) Array.newInstance(layout, 3);
            updateArgs[0] = address;
            updateArgs[1] = address;
            updateArgs[2] = jlong;
            Object[] finalArgs = (Object[]) Array.newInstance(layout, 2);
            finalArgs[0] = address;
            finalArgs[1] = address;

            MethodHandle init = (MethodHandle) downcall.invoke(linker, symbol(find, lib, "SHA256_Init"),
                    of.invoke(null, jint, initArgs), options);
            MethodHandle update = (MethodHandle) downcall.invoke(linker, symbol(find, lib, "SHA256_Update"),
                    of.invoke(null, jint, updateArgs), options);
            MethodHandle fin = (MethodHandle) downcall.invoke(linker, symbol(find, lib, "SHA256_Final"),
                    of.invoke(null, jint, finalArgs), options);

            // byte[] -> MemorySegment.ofArray(byte[]), and (byte[], long) -> ofArray(b).asSlice(offset)
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            MethodHandle ofArray = l.findStatic(segment, "ofArray", MethodType.methodType(segment, byte[].class));
            MethodHandle asSlice = l.findVirtual(segment, "asSlice", MethodType.methodType(segment, long.class));
            MethodHandle slice = MethodHandles.filterArguments(asSlice, 0, ofArray); // (byte[], long)
            // init(byte[] ctx)
            MethodHandle initH = MethodHandles.filterArguments(init, 0, ofArray)
                    .asType(MethodType.methodType(int.class, byte[].class));
            // update(byte[] ctx, byte[] data, long offset, long length)
            MethodHandle updateH = MethodHandles.filterArguments(update, 0, ofArray);
            updateH = MethodHandles.collectArguments(updateH, 1, slice)
                    .asType(MethodType.methodType(int.class, byte[].class, byte[].class, long.class, long.class));
            // final(byte[] out, byte[] ctx): SHA256_Final(unsigned char *md, SHA256_CTX *c)
            MethodHandle finH = MethodHandles.filterArguments(fin, 0, ofArray, ofArray)
                    .asType(MethodType.methodType(int.class, byte[].class, byte[].class));
            return new Native(initH, updateH, finH);
        }

        private static Object symbol(Method find, Object lib, String name) throws ReflectiveOperationException {
            return ((Optional<?>) find.invoke(lib, name)).orElseThrow(() -> new IllegalStateException("no " + name));
        }
    }

    /** A {@link MessageDigest} over libcrypto; its whole state is the context array. */
    private static final class NativeDigest extends MessageDigest implements Cloneable {
        private final MethodHandle init;
        private final MethodHandle update;
        private final MethodHandle fin;
        private byte[] ctx = new byte[CTX_BYTES];

        /** The handles are passed in (not read from the constants) so the start-up probe can use them too. */
        NativeDigest(MethodHandle init, MethodHandle update, MethodHandle fin) {
            super("SHA-256");
            this.init = init;
            this.update = update;
            this.fin = fin;
            engineReset();
        }

        @Override
        protected void engineUpdate(byte input) {
            engineUpdate(new byte[] {input}, 0, 1); // rare: streams hand over arrays
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            java.util.Objects.checkFromIndexSize(offset, len, input.length);
            if (len == 0) {
                return;
            }
            try {
                check((int) update.invokeExact(ctx, input, (long) offset, (long) len));
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        protected byte[] engineDigest() {
            byte[] out = new byte[32];
            try {
                check((int) fin.invokeExact(out, ctx));
            } catch (Throwable e) {
                throw failed(e);
            }
            engineReset();
            return out;
        }

        @Override
        protected void engineReset() {
            try {
                check((int) init.invokeExact(ctx));
            } catch (Throwable e) {
                throw failed(e);
            }
        }

        @Override
        protected int engineGetDigestLength() {
            return 32;
        }

        @Override
        public Object clone() throws CloneNotSupportedException {
            NativeDigest copy = (NativeDigest) super.clone();
            copy.ctx = ctx.clone();
            return copy;
        }

        private static void check(int ok) {
            if (ok != 1) {
                throw new IllegalStateException("libcrypto SHA-256 failed");
            }
        }

        private static RuntimeException failed(Throwable e) {
            return e instanceof RuntimeException r ? r : new IllegalStateException("libcrypto SHA-256: " + e, e);
        }
    }
}
