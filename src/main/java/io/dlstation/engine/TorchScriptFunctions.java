package io.dlstation.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.IValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch functions that DJL's JNI has no binding for, reached through TorchScript: DJL can load and run
 * any TorchScript module, with autograd. This writes, in memory, the smallest TorchScript archive
 * holding a module with one {@code forward} method: the serialised source ({@code code/__torch__.py}),
 * the pickled module object ({@code data.pkl}: an instance with its {@code training} attribute), an
 * empty constants table and the format version, stored uncompressed in a zip as {@code torch.jit.save}
 * writes them. Each module is loaded once per key and kept for the life of the process (they hold no
 * tensors).
 *
 * <p>Thread-safe: TorchScript methods may be called from several threads.
 */
public final class TorchScriptFunctions {
    private static final Map<String, PtSymbolBlock> MODULES = new ConcurrentHashMap<>();
    private static final Map<Device, NDManager> MANAGERS = new ConcurrentHashMap<>();
    private static final MethodHandle RUN_METHOD = runMethodHandle();

    private TorchScriptFunctions() {}

    /**
     * The module {@code className} whose forward is {@code forward} (TorchScript source: the parameter
     * list after {@code self}, the return type and the body, indented by four spaces), loaded on
     * {@code device} once per {@code key}.
     *
     * @param parameters e.g. {@code "x: Tensor"}
     * @param body e.g. {@code "return x * 2"}; one statement per line
     */
    public static PtSymbolBlock module(String key, Device device, String className, String parameters,
            String returnType, String body) {
        return MODULES.computeIfAbsent(device + "/" + key, k -> {
            NDManager manager = MANAGERS.computeIfAbsent(device, d -> NDManager.newBaseManager(d, "PyTorch"));
            try {
                return JniUtils.loadModule((PtNDManager) manager,
                        new ByteArrayInputStream(archive(className, parameters, returnType, body)), true, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Runs {@code module}'s forward on {@code inputs}. With {@code autograd} the call records the graph
     * for backward, as any operation does while grad mode is on; without it, it runs in inference mode.
     *
     * <p>DJL's public {@code PtSymbolBlock.forward(IValue...)} always runs in inference mode, so its
     * outputs never carry gradients; the JNI method under it takes the mode as an argument, and this calls
     * it directly (DJL's version is pinned by the build).
     */
    public static IValue forward(PtSymbolBlock module, IValue[] inputs, boolean autograd) {
        long[] handles = new long[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            handles[i] = inputs[i].getHandle();
        }
        long result;
        try {
            result = (long) RUN_METHOD.invoke(module.getHandle().longValue(), "forward", handles, autograd, false);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        try {
            Constructor<IValue> constructor = IValue.class.getDeclaredConstructor(long.class);
            constructor.setAccessible(true);
            return constructor.newInstance(result);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DJL's IValue cannot be made from a handle", e);
        }
    }

    /** {@code PyTorchLibrary.LIB.moduleRunMethod(module, method, inputs, isTrain, separateStream)}, bound once. */
    private static MethodHandle runMethodHandle() {
        try {
            Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field instance = library.getDeclaredField("LIB");
            instance.setAccessible(true);
            Method method = library.getDeclaredMethod("moduleRunMethod", long.class, String.class, long[].class,
                    boolean.class, boolean.class);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method).bindTo(instance.get(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this DJL has no moduleRunMethod(long, String, long[], boolean, boolean); "
                    + "dlstation is built for DJL's PyTorch engine 0.36", e);
        }
    }

    /** The TorchScript archive of a one-method module. */
    static byte[] archive(String className, String parameters, String returnType, String body) {
        StringBuilder code = new StringBuilder()
                .append("class ").append(className).append("(Module):\n")
                .append("  __parameters__ = []\n")
                .append("  __buffers__ = []\n")
                .append("  training : bool\n")
                .append("  def forward(self: __torch__.").append(className).append(",\n")
                .append("    ").append(parameters).append(") -> ").append(returnType).append(":\n");
        body.lines().forEach(line -> code.append("    ").append(line).append('\n'));
        String folder = className.toLowerCase(java.util.Locale.ROOT);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            put(z, folder + "/data.pkl", modulePickle(className));
            put(z, folder + "/code/__torch__.py", code.toString().getBytes(StandardCharsets.UTF_8));
            put(z, folder + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(z, folder + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            put(z, folder + "/.data/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            put(z, folder + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    /**
     * Pickle protocol 2 for {@code __torch__.<className>(training=True)}: PROTO, GLOBAL, EMPTY_TUPLE,
     * NEWOBJ, a dict {"training": True} and BUILD.
     */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});
        p.write('c');
        p.writeBytes(("__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {'q', 0, ')', (byte) 0x81, '}', 'q', 1, '('});
        byte[] name = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X');
        p.writeBytes(new byte[] {(byte) name.length, 0, 0, 0});
        p.writeBytes(name);
        p.writeBytes(new byte[] {'q', 2, (byte) 0x88, 'u', 'b', '.'});
        return p.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
