package io.dlstation.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The all-reduce of data-parallel training over flat gradient buffers: every replica's buffer is
 * copied to the first device and summed there, and the sum is copied back to every other device.
 *
 * <p>Why reduce-to-first and broadcast rather than a ring: with two devices both move each buffer once
 * in each direction; DJL offers peer copies ({@code toDevice}) but no collective library, and the copies
 * are queued on the device without waiting on the host. With more devices the first device's links
 * carry N - 1 buffers each way, which a ring would spread; that is the price of not depending on NCCL.
 */
final class GradientAllReduce {
    private GradientAllReduce() {}

    /**
     * @param parts each replica's gathered gradients, in replica order (the first's are summed into in
     *     place)
     * @param scopes each replica's step scope: the copies sent back to replica i belong to scope i
     * @return per replica, the summed gradients on its device (the first's is the sum itself)
     */
    static List<TrainingStep.Gradients> allReduce(List<TrainingStep.Gradients> parts, List<NDManager> scopes) {
        NDArray weights = sumIntoFirst(parts.stream().map(TrainingStep.Gradients::weights).toList());
        NDArray norms = sumIntoFirst(parts.stream().map(TrainingStep.Gradients::norms).toList());
        List<TrainingStep.Gradients> reduced = new ArrayList<>(parts.size());
        reduced.add(new TrainingStep.Gradients(weights, norms));
        for (int i = 1; i < parts.size(); i++) {
            reduced.add(new TrainingStep.Gradients(copyTo(weights, scopes.get(i)), copyTo(norms, scopes.get(i))));
        }
        return reduced;
    }

    /**
     * Adds every array into the first (in place), each copied to the first's device first; returns the
     * first.
     */
    static NDArray sumIntoFirst(List<NDArray> buffers) {
        NDArray total = buffers.get(0);
        for (NDArray part : buffers.subList(1, buffers.size())) {
            NDArray moved = part.toDevice(total.getDevice(), false);
            total.addi(moved);
            if (moved != part) {
                moved.close();
            }
        }
        return total;
    }

    /** A copy on the scope's device (always a copy: an optimiser may change its gradient in place). */
    private static NDArray copyTo(NDArray source, NDManager scope) {
        // toDevice onto the same device hands back the same storage even when asked for a copy
        NDArray copy = source.getDevice().equals(scope.getDevice()) ? source.duplicate()
                : source.toDevice(scope.getDevice(), false);
        copy.attach(scope);
        return copy;
    }
}
