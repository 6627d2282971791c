package io.dlstation.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's fused {@code scaled_dot_product_attention} (flash or memory-efficient kernels on CUDA),
 * reached through TorchScript because DJL's JNI has no binding for it.
 *
 * <p>DJL can load and run any TorchScript module, with autograd. This class writes, in memory, the
 * smallest TorchScript archive holding a module whose {@code forward(q, k, v[, mask])} calls
 * {@code torch.scaled_dot_product_attention} with a fixed dropout probability: the serialised source
 * ({@code code/__torch__.py}), the pickled module object ({@code data.pkl}: an instance with its
 * {@code training} attribute), an empty constants table and the format version, stored uncompressed
 * in a zip as {@code torch.jit.save} writes them. One module per device, dropout and mask variant is
 * loaded on first use and kept for the life of the process (they hold no tensors).
 *
 * <p>Thread-safe: TorchScript methods may be called from several threads.
 */
public final class FusedAttention {
    private static final Map<String, PtSymbolBlock> MODULES = new ConcurrentHashMap<>();
    private static final Map<Device, NDManager> MANAGERS = new ConcurrentHashMap<>();

    private FusedAttention() {}

    /**
     * softmax(q k^T / sqrt(d) + mask) v, with dropout on the probabilities when {@code dropout} > 0.
     *
     * @param q (B, heads, S, d); k and v the same
     * @param mask an additive (B, 1, 1, S) bias of q's type, or null
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, float dropout, boolean training) {
        float p = training ? dropout : 0f;
        PtSymbolBlock module = module(q.getDevice(), p, mask != null);
        NDList inputs = mask == null ? new NDList(q, k, v) : new NDList(q, k, v, mask);
        return IValueUtils.forward(module, inputs, training).singletonOrThrow();
    }

    /** Whether the engine can run the fused kernel (loads the module once to find out). */
    public static boolean available(Device device) {
        try {
            module(device, 0f, false);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static PtSymbolBlock module(Device device, float dropout, boolean masked) {
        String key = device + "/" + dropout + "/" + masked;
        return MODULES.computeIfAbsent(key, k -> {
            NDManager manager = MANAGERS.computeIfAbsent(device, d -> NDManager.newBaseManager(d, "PyTorch"));
            try {
                return JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive(dropout, masked)),
                        true, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The TorchScript archive of the attention module. */
    static byte[] archive(float dropout, boolean masked) {
        String code = "class Attention(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__.Attention,\n"
                + "    q: Tensor,\n"
                + "    k: Tensor,\n"
                + "    v: Tensor" + (masked ? ",\n    mask: Tensor" : "") + ") -> Tensor:\n"
                + "    return torch.scaled_dot_product_attention(q, k, v, " + (masked ? "mask" : "None") + ", "
                + String.format(Locale.ROOT, "%.6f", dropout) + ")\n";
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            put(z, "attention/data.pkl", modulePickle());
            put(z, "attention/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(z, "attention/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(z, "attention/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            put(z, "attention/.data/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            put(z, "attention/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    /**
     * Pickle protocol 2 for {@code __torch__.Attention(training=True)}: PROTO, GLOBAL, EMPTY_TUPLE,
     * NEWOBJ, a dict {"training": True} and BUILD.
     */
    private static byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});
        p.write('c');
        p.writeBytes("__torch__\nAttention\n".getBytes(StandardCharsets.US_ASCII));
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
