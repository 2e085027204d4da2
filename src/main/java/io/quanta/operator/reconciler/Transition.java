package io.quanta.operator.reconciler;

import io.quanta.job.ConditionTypes;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJobStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * A change worth a Kubernetes Event: the phase or the Ready reason changed.
 *
 * @param type    Normal or Warning
 * @param reason  the new Ready reason
 * @param message the new status message
 */
public record Transition(String type, String reason, String message) {

    public static Optional<Transition> between(QuantizationJobStatus before, QuantizationJobStatus after) {
        if (after == null) {
            return Optional.empty();
        }
        String beforeReason = readyReason(before);
        String afterReason = readyReason(after);
        boolean samePhase = before != null
                && before.phase == after.phase
                && Objects.equals(before.observedGeneration, after.observedGeneration);
        if (samePhase && Objects.equals(beforeReason, afterReason)) {
            return Optional.empty();
        }
        String type = after.phase == Phase.Failed ? "Warning" : "Normal";
        String message = after.phase + ": " + (after.message == null ? "" : after.message);
        return Optional.of(new Transition(type, afterReason == null ? after.phase.name() : afterReason, message));
    }

    private static String readyReason(QuantizationJobStatus status) {
        if (status == null || status.conditions == null) {
            return null;
        }
        return status.conditions.stream()
                .filter(c -> ConditionTypes.READY.equals(c.getType()))
                .map(io.fabric8.kubernetes.api.model.Condition::getReason)
                .findFirst()
                .orElse(null);
    }
}
