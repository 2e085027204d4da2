package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.operator.api.QuantizationJobStatus;
import java.util.List;
import java.util.Optional;

/**
 * What the reconciler should do for one QuantizationJob.
 *
 * @param jobToCreate  the engine Job that starts this generation's run, when it has none yet (the queue admits it)
 * @param jobsToDelete names of owned Jobs to stop (earlier generations still running, or a run declared failed
 *                     while its Job is still active)
 * @param status       the status to record; null when the recorded one is already final for this generation
 * @param event        the Event to emit for a phase or reason change
 * @param phaseJobs    Jobs of a sharded run that has started (its next phase, a missing shard, its cleanup): the
 *                     run was admitted with its first Job, so these are created without asking the queue
 */
public record Decision(
        Optional<Job> jobToCreate,
        List<String> jobsToDelete,
        QuantizationJobStatus status,
        Optional<Transition> event,
        List<Job> phaseJobs) {

    public Decision {
        phaseJobs = List.copyOf(phaseJobs);
    }

    public Decision(
            Optional<Job> jobToCreate,
            List<String> jobsToDelete,
            QuantizationJobStatus status,
            Optional<Transition> event) {
        this(jobToCreate, jobsToDelete, status, event, List.of());
    }
}
