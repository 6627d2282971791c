package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.InferOutput;
import io.dlstation.serve.ModelRegistry;
import io.dlstation.serve.ModelSpec;
import io.dlstation.serve.OutputSpec;
import io.dlstation.serve.ServedModel;
import io.dlstation.serve.protocol.HostTensor;
import io.dlstation.serve.protocol.InferRequest;
import io.dlstation.serve.protocol.InferRequestDecoder;
import io.dlstation.serve.protocol.InferResponseEncoder;
import io.dlstation.serve.protocol.InputSpec;
import io.dlstation.serve.protocol.OutputTensor;
import io.dlstation.serve.protocol.PredictBody;
import io.dlstation.serve.wlm.Priority;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/** Model metadata, model readiness, {@code POST /v2/models/{m}/infer} and {@code POST /predict}. */
final class InferenceEndpoints {
    private final HttpSettings settings;
    private final ModelRegistry registry;
    private final ServerStatus status;

    InferenceEndpoints(HttpSettings settings, ModelRegistry registry, ServerStatus status) {
        this.settings = settings;
        this.registry = registry;
        this.status = status;
    }

    void checkVersion(String model, String version) {
        if (!ModelSpec.VERSION.equals(version)) {
            registry.state(model);
            throw new DlstationException(ErrorCode.NOT_FOUND, "model '" + model + "' has no version '" + version
                    + "'; it has version " + ModelSpec.VERSION);
        }
    }

    void metadata(Exchange x, String name) {
        ServedModel model = registry.get(name);
        ModelSpec spec = model.spec();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("versions", List.of(ModelSpec.VERSION));
        body.put("platform", spec.description().isTorchScript() ? "pytorch_torchscript" : "dlstation_"
                + spec.description().architecture());
        body.put("inputs", spec.inputs().stream().map(in -> tensor(in.name(), in.type().name(), in.shape())).toList());
        body.put("outputs", model.outputs().stream().map(o -> tensor(o.name(), o.type().name(), o.shape())).toList());
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("max_batch_size", spec.serving().maxBatchSize());
        parameters.put("max_batch_delay_ms", spec.serving().maxBatchDelayMs());
        parameters.put("preferred_batch_sizes", spec.serving().preferredBatchSizes());
        parameters.put("queue_size", spec.serving().queueSize());
        parameters.put("timeout_ms", spec.serving().timeoutMs());
        parameters.put("instances", spec.serving().instances());
        parameters.put("precision", spec.serving().precision().label());
        parameters.put("devices", model.devices());
        parameters.put("postprocess", spec.description().postprocess());
        if (!spec.labels().isEmpty()) {
            parameters.put("labels", spec.labels());
        }
        body.put("parameters", parameters);
        x.json(200, body);
    }

    private static Map<String, Object> tensor(String name, String datatype, long[] sample) {
        List<Long> shape = new ArrayList<>();
        shape.add(-1L);
        for (long d : sample) {
            shape.add(d);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("datatype", datatype);
        t.put("shape", shape);
        return t;
    }

    void ready(Exchange x, String name) {
        ModelRegistry.Entry entry = registry.state(name);
        boolean ready = registry.readyModels().containsKey(name) && registry.readyModels().get(name).ready();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("ready", ready);
        body.put("state", entry.state().name());
        x.json(ready ? 200 : 503, body);
    }

    void infer(Exchange x, String name) {
        x.metricModel = "";
        refuseWhileDraining();
        ServedModel model = registry.get(name);
        x.metricModel = name;
        byte[] body = x.body(settings.maxRequestBytes());
        InferRequest request = InferRequestDecoder.decode(body, headerLength(x));
        Priority priority = Priority.parse(request.parameters().get("priority"), "parameters.priority");
        Duration timeout = timeout(request.parameters());
        List<InferRequest.RequestedOutput> wanted = wantedOutputs(model, request);
        InferOutput output = await(model.submit(model.prepare(request.inputs()), priority, timeout));
        List<OutputTensor> outputs = new ArrayList<>();
        for (InferRequest.RequestedOutput w : wanted) {
            HostTensor tensor = output.tensors().stream().filter(t -> t.name().equals(w.name())).findFirst().orElseThrow();
            outputs.add(new OutputTensor(tensor, w.binary() || request.binaryOutputs(), w.classification(),
                    model.spec().labels()));
        }
        InferResponseEncoder.Encoded encoded = InferResponseEncoder.encode(name, ModelSpec.VERSION, request.id(), outputs);
        if (encoded.headerLength() == null) {
            x.send(200, "application/json", ByteBuffer.wrap(encoded.json()), Map.of());
        } else {
            ByteBuffer all = ByteBuffer.allocate((int) encoded.length()).put(encoded.json());
            encoded.binary().forEach(b -> all.put(b.duplicate()));
            x.send(200, "application/octet-stream", all.flip(),
                    Map.of("Inference-Header-Content-Length", Integer.toString(encoded.headerLength())));
        }
    }

    void predict(Exchange x) {
        x.metricModel = "";
        refuseWhileDraining();
        ServedModel model = predictModel(x.query("model"));
        x.metricModel = model.name();
        ModelSpec spec = model.spec();
        if (spec.inputs().size() != 1) {
            throw DlstationException.badInput("model '" + model.name() + "' takes " + spec.inputs().size()
                    + " inputs; /predict feeds one: use POST /v2/models/" + model.name() + "/infer");
        }
        InputSpec input = spec.inputs().get(0);
        byte[] body = x.body(settings.maxRequestBytes());
        HostTensor tensor = PredictBody.decode(body, x.header("Content-Type"), input);
        Priority priority = Priority.parse(x.query("priority"), "priority");
        String timeoutMs = x.query("timeout_ms");
        Duration timeout = timeoutMs == null ? null : millis(timeoutMs, "timeout_ms");
        long start = System.nanoTime();
        InferOutput output = await(model.submit(model.prepare(List.of(tensor)), priority, timeout));
        double latencyMs = (System.nanoTime() - start) / 1e6;
        x.json(200, Prediction.of(output.tensors().get(0), spec, latencyMs));
    }

    private ServedModel predictModel(String name) {
        if (name != null) {
            return registry.get(name);
        }
        Map<String, ServedModel> ready = registry.readyModels();
        if (ready.size() == 1) {
            return registry.get(ready.keySet().iterator().next());
        }
        if (ready.isEmpty()) {
            throw new DlstationException(ErrorCode.UNAVAILABLE, "no model is loaded yet");
        }
        throw DlstationException.badInput("several models are loaded (" + ready.keySet().stream().sorted()
                .collect(Collectors.joining(", ")) + "); name one: /predict?model=NAME");
    }

    private void refuseWhileDraining() {
        if (status.isDraining()) {
            throw new DlstationException(ErrorCode.UNAVAILABLE, "the server is shutting down");
        }
    }

    private static Integer headerLength(Exchange x) {
        String value = x.header("Inference-Header-Content-Length");
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw DlstationException.badInput("Inference-Header-Content-Length '" + value + "' is not a byte count");
        }
    }

    /** The request's own timeout: Triton's {@code timeout} (microseconds) or {@code timeout_ms}; null: the model's. */
    static Duration timeout(Map<String, Object> parameters) {
        Object micros = parameters.get("timeout");
        Object ms = parameters.get("timeout_ms");
        if (micros != null) {
            return Duration.ofNanos(positive(micros, "parameters.timeout (microseconds)") * 1000);
        }
        return ms == null ? null : Duration.ofMillis(positive(ms, "parameters.timeout_ms"));
    }

    private static Duration millis(String text, String field) {
        try {
            return Duration.ofMillis(positive(Long.parseLong(text.strip()), field));
        } catch (NumberFormatException e) {
            throw DlstationException.badInput(field + " '" + text + "' is not a whole number of milliseconds");
        }
    }

    private static long positive(Object value, String field) {
        if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1) {
            throw DlstationException.badInput(field + " " + value + " must be a whole number of 1 or more");
        }
        return n.longValue();
    }

    private static List<InferRequest.RequestedOutput> wantedOutputs(ServedModel model, InferRequest request) {
        List<String> names = model.outputs().stream().map(OutputSpec::name).toList();
        if (request.outputs().isEmpty()) {
            return names.stream().map(n -> new InferRequest.RequestedOutput(n, false, 0)).toList();
        }
        for (InferRequest.RequestedOutput o : request.outputs()) {
            if (!names.contains(o.name())) {
                throw DlstationException.badInput("outputs: '" + o.name() + "' is not an output of model '"
                        + model.name() + "'; it has " + String.join(", ", names));
            }
        }
        return request.outputs();
    }

    /** The request's answer, or the error its batch or the queue gave it. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DlstationException d) {
                throw d;
            }
            throw new DlstationException(ErrorCode.INTERNAL, "the request failed: "
                    + io.dlstation.serve.wlm.Failures.summary(e.getCause() == null ? null : e.getCause().getMessage()), e);
        }
    }
}
