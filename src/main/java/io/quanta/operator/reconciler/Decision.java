package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.operator.api.QuantizationJobStatus;
import java.util.List;
import java.util.Optional;

/**
 * What the reconciler should do for one QuantizationJob.
 *
 * @param jobToCreate  the engine Job to create, when this generation has none yet
 * @param jobsToDelete names of owned Jobs to stop (earlier generations still running, or a run declared failed
 *                     while its Job is still active)
 * @param status       the status to record; null when the recorded one is already final for this generation
 * @param event        the Event to emit for a phase or reason change
 */
public record Decision(
        Optional<Job> jobToCreate,
        List<String> jobsToDelete,
        QuantizationJobStatus status,
        Optional<Transition> event) {}
