package io.dlstation.serve;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.wlm.Failures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The models the server holds, by name, and their states: load (or reload) and unload while the server
 * runs. A reload loads the new copy first and swaps it in, so the model never stops answering.
 *
 * <p>Design: readers look models up in a concurrent map without locks; loads and unloads of one name
 * are serialised on a per-name lock, and different names load in parallel.
 */
public final class ModelRegistry {
    /** One model's line in the repository index. */
    public record Entry(String name, ModelState state, String reason) {}

    private final ModelRepository repository;
    private final Function<ModelSpec, ServedModel> loader;
    private final Map<String, ServedModel> ready = new ConcurrentHashMap<>();
    private final Map<String, Entry> states = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** @param loader loads and starts one model ({@link ModelLoader#load}) */
    public ModelRegistry(ModelRepository repository, Function<ModelSpec, ServedModel> loader) {
        this.repository = repository;
        this.loader = loader;
    }

    /** The repository models come from. */
    public ModelRepository repository() {
        return repository;
    }

    /** The models that take requests now, by name. */
    public Map<String, ServedModel> readyModels() {
        return Collections.unmodifiableMap(ready);
    }

    /**
     * The model {@code name} if it takes requests; NOT_FOUND when no such model exists, UNAVAILABLE when
     * it exists but is not loaded (yet, or any more).
     */
    public ServedModel get(String name) {
        ServedModel model = ready.get(name);
        if (model != null && model.ready()) {
            return model;
        }
        Entry entry = states.get(name);
        if (entry == null && !repository.models().containsKey(name)) {
            throw new DlstationException(ErrorCode.NOT_FOUND, "model '" + name + "' is unknown; this server has "
                    + (repository.models().isEmpty() ? "no models" : String.join(", ", repository.models().keySet())));
        }
        ModelState state = entry == null ? ModelState.UNAVAILABLE : entry.state();
        String why = entry == null || entry.reason() == null ? "" : " (" + entry.reason() + ")";
        throw new DlstationException(ErrorCode.UNAVAILABLE, switch (state) {
            case LOADING -> "model '" + name + "' is still loading; retry when /v2/models/" + name + "/ready says so";
            case UNLOADING -> "model '" + name + "' is unloading";
            default -> "model '" + name + "' is not loaded" + why + "; load it with POST /v2/repository/models/"
                    + name + "/load";
        });
    }

    /** The state of model {@code name}; NOT_FOUND if the repository has no such model. */
    public Entry state(String name) {
        Entry entry = states.get(name);
        if (entry != null) {
            return entry;
        }
        repository.locate(name);
        return new Entry(name, ModelState.UNAVAILABLE, null);
    }

    /** Every model of the repository and every model loaded, with its state, by name. */
    public List<Entry> index() {
        Map<String, Entry> all = new TreeMap<>();
        repository.models().keySet().forEach(n -> all.put(n, new Entry(n, ModelState.UNAVAILABLE, null)));
        all.putAll(states);
        return new ArrayList<>(all.values());
    }

    /**
     * Loads model {@code name} from the repository, or reloads it if loaded: the new copy is loaded and
     * warmed up, then takes the requests, and the old one drains for up to {@code drain}. A failed load
     * leaves a loaded model as it was.
     */
    public ServedModel load(String name, Duration drain) {
        synchronized (lock(name)) {
            ServedModel previous = ready.get(name);
            ModelSpec spec;
            try {
                spec = ModelSpec.read(name, repository.locate(name));
            } catch (DlstationException e) {
                if (previous == null && e.code() != ErrorCode.NOT_FOUND) {
                    states.put(name, new Entry(name, ModelState.UNAVAILABLE, e.getMessage()));
                }
                throw e;
            }
            if (previous == null) {
                states.put(name, new Entry(name, ModelState.LOADING, null));
            }
            ServedModel model;
            try {
                model = loader.apply(spec);
            } catch (RuntimeException e) {
                if (previous == null) {
                    states.put(name, new Entry(name, ModelState.UNAVAILABLE, "failed to load: "
                            + (e instanceof DlstationException ? e.getMessage() : Failures.summary(e.getMessage()))));
                }
                throw e;
            }
            ready.put(name, model);
            states.put(name, new Entry(name, ModelState.READY, null));
            if (previous != null) {
                previous.unload(drain, "model '" + name + "' was reloaded");
            }
            return model;
        }
    }

    /**
     * Unloads model {@code name}: new requests are refused at once, queued ones run for up to
     * {@code drain}, then its memory is freed.
     *
     * @return whether its queue emptied in time
     */
    public boolean unload(String name, Duration drain) {
        synchronized (lock(name)) {
            ServedModel model = ready.get(name);
            if (model == null) {
                state(name); // NOT_FOUND for an unknown name
                throw new DlstationException(ErrorCode.BAD_INPUT, "model '" + name + "' is not loaded");
            }
            states.put(name, new Entry(name, ModelState.UNLOADING, null));
            boolean inTime;
            try {
                inTime = model.unload(drain, "model '" + name + "' is unloading");
            } finally {
                ready.remove(name);
                states.put(name, new Entry(name, ModelState.UNAVAILABLE, "unloaded"));
            }
            return inTime;
        }
    }

    /** Unloads every model, each draining for up to {@code drain} (in parallel). */
    public void unloadAll(Duration drain) {
        List<Thread> threads = new ArrayList<>();
        for (String name : new ArrayList<>(ready.keySet())) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    unload(name, drain);
                } catch (DlstationException ignored) {
                    // unloaded meanwhile
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }
}
