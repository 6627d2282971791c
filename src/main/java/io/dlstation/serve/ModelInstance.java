package io.dlstation.serve;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.dlstation.engine.CudaStreams;
import io.dlstation.engine.DeviceUpload;
import io.dlstation.engine.EngineBootstrap;
import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.InputSpec;
import io.dlstation.serve.protocol.TensorType;
import io.dlstation.serve.wlm.BatchRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker's view of a loaded model: runs a batch of requests as one forward pass.
 *
 * <p>The batch is built in one host buffer per input that the worker keeps (each request's bytes copied
 * in once) and reaches the device in one copy; floating inputs are cast there to the model's compute
 * type, and pixel inputs (UINT8 with a mean or std) are scaled and normalised there
 * ({@link InputSpec#normalizesPixels()}). Outputs are widened to float32 on the device when they are
 * float16, softmax is applied there to the first output when the model says so, and each output comes
 * back to the host in one copy that is then split into per-request views. Every array of a batch lives
 * in a sub-manager closed at its end.
 *
 * <p>Not thread safe: one worker thread calls {@link #run}.
 */
final class ModelInstance implements BatchRunner<InferInput, InferOutput> {
    private final ModelSpec spec;
    private final LoadedModel loaded;
    private final ByteBuffer[] hostBatches;
    /** Per input: pixel scale and shift, shape (1, C, 1, 1) on the device; null for other inputs. */
    private final NDArray[][] pixelAffine;
    private final String label;
    private Thread configuredThread;

    ModelInstance(ModelSpec spec, LoadedModel loaded) {
        this(spec, loaded, spec.serving().maxBatchSize());
    }

    /** @param capacity the most samples one batch may hold */
    ModelInstance(ModelSpec spec, LoadedModel loaded, int capacity) {
        this.spec = spec;
        this.loaded = loaded;
        this.label = loaded.device.isGpu() ? "gpu:" + loaded.device.getDeviceId() : "cpu";
        int max = capacity;
        this.hostBatches = new ByteBuffer[spec.inputs().size()];
        for (int i = 0; i < hostBatches.length; i++) {
            InputSpec in = spec.inputs().get(i);
            long bytes = HostTensor.elementCount(in.shape()) * in.type().bytes() * max;
            hostBatches[i] = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        }
        this.pixelAffine = new NDArray[hostBatches.length][];
        for (int i = 0; i < hostBatches.length; i++) {
            InputSpec in = spec.inputs().get(i);
            if (in.normalizesPixels()) {
                float[][] affine = in.pixelScaleAndShift();
                Shape perChannel = new Shape(1, affine[0].length, 1, 1);
                pixelAffine[i] = new NDArray[] {
                    loaded.manager().create(affine[0], perChannel).toType(loaded.computeType(), false),
                    loaded.manager().create(affine[1], perChannel).toType(loaded.computeType(), false)};
            }
        }
    }

    @Override
    public String device() {
        return label;
    }

    @Override
    public List<InferOutput> run(List<InferInput> requests) {
        int samples = samples(requests);
        try (NDManager batch = loaded.manager().newSubManager()) {
            NDList outputs = loaded.forward(deviceInputs(requests, batch));
            List<List<HostTensor>> perRequest = new ArrayList<>(requests.size());
            for (int r = 0; r < requests.size(); r++) {
                perRequest.add(new ArrayList<>(outputs.size()));
            }
            for (int o = 0; o < outputs.size(); o++) {
                split(outputs.get(o), o, requests, samples, perRequest);
            }
            List<InferOutput> result = new ArrayList<>(requests.size());
            perRequest.forEach(tensors -> result.add(new InferOutput(tensors)));
            return result;
        }
    }

    /**
     * The batch of {@code requests} as the model takes it, in {@code batch} on the model's device: each
     * input copied there once, cast to the compute type, pixels scaled and normalised. The in-process
     * bench times its forward pass on these, so it measures what a server worker runs.
     */
    NDList deviceInputs(List<InferInput> requests, NDManager batch) {
        if (configuredThread != Thread.currentThread()) {
            JniUtils.setGradMode(false); // per thread in PyTorch: inference records no graph
            // a stream per worker: one worker's copies overlap another's kernels on the same GPU
            CudaStreams.useOwnStream(loaded.device);
            configuredThread = Thread.currentThread();
        }
        int samples = samples(requests);
        NDList inputs = new NDList(hostBatches.length);
        for (int i = 0; i < hostBatches.length; i++) {
            inputs.add(input(batch, i, requests, samples));
        }
        return inputs;
    }

    private static int samples(List<InferInput> requests) {
        int samples = 0;
        for (InferInput r : requests) {
            samples += r.samples();
        }
        return samples;
    }

    private NDArray input(NDManager batch, int index, List<InferInput> requests, int samples) {
        InputSpec in = spec.inputs().get(index);
        ByteBuffer host = hostBatches[index].clear();
        for (InferInput r : requests) {
            host.put(r.tensors().get(index).view());
        }
        host.flip();
        long[] dims = new long[in.shape().length + 1];
        dims[0] = samples;
        System.arraycopy(in.shape(), 0, dims, 1, in.shape().length);
        NDArray array;
        try (NDManager onHost = NDManager.newBaseManager(Device.cpu(), EngineBootstrap.ENGINE_NAME)) {
            // one copy to the device, queued without waiting for the batch before it to finish
            array = DeviceUpload.toDevice(onHost.create(host, new Shape(dims), DjlTypes.of(in.type())),
                    batch.getDevice(), batch);
        }
        DataType compute = loaded.computeType();
        if (pixelAffine[index] != null) {
            array = array.toType(compute, false).muli(pixelAffine[index][0]).addi(pixelAffine[index][1]);
        } else if (in.type().isFloating() && array.getDataType() != compute) {
            array = array.toType(compute, false);
        }
        return array;
    }

    private void split(NDArray output, int index, List<InferInput> requests, int samples,
            List<List<HostTensor>> perRequest) {
        NDArray out = output;
        if (out.getDataType() == DataType.FLOAT16) {
            out = out.toType(DataType.FLOAT32, false);
        }
        if (index == 0 && spec.softmax()) {
            out = out.softmax(-1);
        }
        String name = spec.outputName(index);
        TensorType type = DjlTypes.of(out.getDataType(), spec.name(), name);
        long[] dims = out.getShape().getShape();
        if (dims.length == 0 || dims[0] != samples) {
            throw new IllegalStateException("output '" + name + "' has shape " + out.getShape() + "; a batch of "
                    + samples + " needs it to start with " + samples);
        }
        ByteBuffer bytes = out.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int rowBytes = bytes.remaining() / samples;
        int at = 0;
        for (int r = 0; r < requests.size(); r++) {
            int rows = requests.get(r).samples();
            long[] shape = dims.clone();
            shape[0] = rows;
            perRequest.get(r).add(new HostTensor(name, type, shape, bytes.slice(at, rows * rowBytes)));
            at += rows * rowBytes;
        }
    }
}
