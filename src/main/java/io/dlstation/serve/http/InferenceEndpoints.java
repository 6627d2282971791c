package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.InferInput;
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
import io.dlstation.time.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.ByteBufferPool;

/** Model metadata, model readiness, {@code POST /v2/models/{m}/infer} and {@code POST /predict}. */
final class InferenceEndpoints {
    /**
     * Answers with at most this many numbers as JSON text are written on the thread that completes the
     * request (about 0.5 ms of formatting); larger ones move to the {@code answers} executor (a virtual
     * thread each), off the model's worker.
     */
    static final long INLINE_JSON_VALUES = 4096;

    private final HttpSettings settings;
    private final ModelRegistry registry;
    private final ServerStatus status;
    private final ByteBufferPool bodies;
    private final Ticker ticker;
    private final Executor answers;

    /**
     * @param ticker times {@code /predict}'s {@code latency_ms}
     * @param answers writes the answers of more than {@link #INLINE_JSON_VALUES} JSON numbers; owned by
     *     the server
     */
    InferenceEndpoints(HttpSettings settings, ModelRegistry registry, ServerStatus status, Ticker ticker,
            Executor answers) {
        this.settings = settings;
        this.registry = registry;
        this.status = status;
        this.ticker = ticker;
        this.answers = answers;
        this.bodies = RequestBody.pool(settings.maxRequestBytes());
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
        parameters.put("warmup_every_size", spec.serving().warmsEverySize(model.onGpu()));
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

    /**
     * Reads, checks and queues the request; its answer is written when the batch has run, on the thread
     * that completes it (the model's worker for a batch of one), or on a virtual thread of its own when
     * the answer is large JSON. The returned future completes once the answer is handed to Jetty, or
     * fails with the error to answer instead.
     */
    CompletableFuture<Void> infer(Exchange x, String name) {
        x.metricModel = "";
        refuseWhileDraining(x);
        ServedModel model = registry.get(name);
        x.metricModel = name;
        RequestBody body = x.body(settings.maxRequestBytes(), bodies);
        InferRequest request;
        List<InferRequest.RequestedOutput> wanted;
        CompletableFuture<InferOutput> answer;
        InferInput input;
        try {
            request = InferRequestDecoder.decode(body.array, body.length, headerLength(x));
            Priority priority = Priority.parse(request.parameters().get("priority"), "parameters.priority");
            Duration timeout = timeout(request.parameters());
            wanted = wantedOutputs(model, request);
            input = model.prepare(request.inputs());
            answer = model.submit(input, priority, timeout);
        } catch (RuntimeException | Error e) {
            body.close();
            throw e;
        }
        // the batch has copied the body's bytes once the answer is in (and a request that failed never ran)
        CompletableFuture<InferOutput> done = answer.whenComplete((output, error) -> body.close());
        if (jsonValues(model, request, wanted, input.samples()) <= INLINE_JSON_VALUES) {
            return done.thenAccept(output -> respond(x, model, request, wanted, output));
        }
        return done.thenAcceptAsync(output -> respond(x, model, request, wanted, output), answers);
    }

    private static void respond(Exchange x, ServedModel model, InferRequest request,
            List<InferRequest.RequestedOutput> wanted, InferOutput output) {
        List<OutputTensor> outputs = new ArrayList<>(wanted.size());
        for (InferRequest.RequestedOutput w : wanted) {
            HostTensor tensor = output.tensors().stream().filter(t -> t.name().equals(w.name())).findFirst().orElseThrow();
            outputs.add(new OutputTensor(tensor, w.binary() || request.binaryOutputs(), w.classification(),
                    model.spec().labels()));
        }
        String name = model.name();
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

    /** How many numbers the answer writes as JSON text (binary and classification outputs write none). */
    private static long jsonValues(ServedModel model, InferRequest request, List<InferRequest.RequestedOutput> wanted,
            int samples) {
        long values = 0;
        for (InferRequest.RequestedOutput w : wanted) {
            if (w.binary() || request.binaryOutputs() || w.classification() > 0) {
                continue;
            }
            for (OutputSpec o : model.outputs()) {
                if (o.name().equals(w.name())) {
                    values += HostTensor.elementCount(o.shape()) * samples;
                }
            }
        }
        return values;
    }

    void predict(Exchange x) {
        x.metricModel = "";
        refuseWhileDraining(x);
        ServedModel model = predictModel(x.query("model"));
        x.metricModel = model.name();
        ModelSpec spec = model.spec();
        if (spec.inputs().size() != 1) {
            throw DlstationException.badInput("model '" + model.name() + "' takes " + spec.inputs().size()
                    + " inputs; /predict feeds one: use POST /v2/models/" + model.name() + "/infer");
        }
        InputSpec input = spec.inputs().get(0);
        byte[] body = x.body(settings.maxRequestBytes(), null).array; // exact: nothing pooled
        long start = ticker.read(); // latency_ms counts decoding the body (an image's can be most of it)
        HostTensor tensor = PredictBody.decode(body, x.header("Content-Type"), input, settings.maxImagePixels());
        Priority priority = Priority.parse(x.query("priority"), "priority");
        String timeoutMs = x.query("timeout_ms");
        Duration timeout = timeoutMs == null ? null : millis(timeoutMs, "timeout_ms");
        InferOutput output = await(model.submit(model.prepare(List.of(tensor)), priority, timeout));
        double latencyMs = (ticker.read() - start) / 1e6;
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

    /**
     * A draining server answers 503 (with {@code Connection: close}, as every answer while it drains)
     * after reading the body: the client may still be sending it, and a connection closed with bytes
     * unread is reset, which can take the answer with it.
     */
    private void refuseWhileDraining(Exchange x) {
        if (status.isDraining()) {
            x.discardBody(settings.maxRequestBytes());
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
