package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quanta.job.EngineContract;
import io.quanta.job.StatusCalculator;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.JobLabels;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs each generation of a QuantizationJob as one engine Job and mirrors its progress into the status. All
 * decisions are in {@link Reconciliation}; this class only reads the informer caches and carries them out.
 */
@ControllerConfiguration(name = QuantizationJobReconciler.NAME)
public class QuantizationJobReconciler implements Reconciler<QuantizationJob>, Cleaner<QuantizationJob> {
    public static final String NAME = "quantizationjob";

    private static final Logger LOG = Logger.getLogger(QuantizationJobReconciler.class);
    private static final int LOG_TAIL_LINES = 5;
    /** After a refused (409) status write: time for the informer to deliver the newer version. */
    static final Duration CONFLICT_RETRY = Duration.ofMillis(500);

    private final EngineDefaults defaults;
    private final Clock clock;
    private final JobQueue queue;
    private volatile InformerEventSource<Job, QuantizationJob> jobSource;

    private final RunMetrics metrics;
    private volatile Boolean indexedJobs;

    @Inject
    public QuantizationJobReconciler(EngineDefaults defaults, Admission.Limits limits, MeterRegistry registry) {
        this(defaults, limits, registry, Clock.systemUTC());
    }

    QuantizationJobReconciler(EngineDefaults defaults, Admission.Limits limits, MeterRegistry registry, Clock clock) {
        this.defaults = defaults;
        this.clock = clock;
        this.queue = new JobQueue(limits);
        this.metrics = new RunMetrics(registry);
    }

    @Override
    public List<EventSource<?, QuantizationJob>> prepareEventSources(EventSourceContext<QuantizationJob> context) {
        var owners = Mappers.<Job>fromOwnerReferences(QuantizationJob.class);
        var jobs = InformerEventSourceConfiguration.from(Job.class, QuantizationJob.class)
                .withName("engine-jobs")
                .withLabelSelector(JobLabels.MANAGED_SELECTOR)
                // A finished Job frees a slot: the queued QuantizationJobs are looked at again at once.
                .withSecondaryToPrimaryMapper((Job job) -> queue.affected(job, owners.toPrimaryResourceIDs(job)))
                .withNamespacesInheritedFromController()
                .build();
        // Pods are owned by their Job, not by us: the annotation copied from the pod template names the owner.
        var pods = InformerEventSourceConfiguration.from(Pod.class, QuantizationJob.class)
                .withName("engine-pods")
                .withLabelSelector(JobLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper((Pod pod) -> {
                    String owner = pod.getMetadata().getAnnotations() == null
                            ? null
                            : pod.getMetadata().getAnnotations().get(JobLabels.QUANTIZATION_JOB);
                    return owner == null
                            ? Set.of()
                            : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
                })
                .withNamespacesInheritedFromController()
                .build();
        jobSource = new InformerEventSource<>(jobs, context);
        return List.of(jobSource, new InformerEventSource<>(pods, context));
    }

    @Override
    public UpdateControl<QuantizationJob> reconcile(QuantizationJob qj, Context<QuantizationJob> context) {
        KubernetesClient client = context.getClient();
        String namespace = qj.getMetadata().getNamespace();
        Instant now = Instant.now(clock);
        metrics.track(qj, context.getPrimaryCache());
        Decision decision = Reconciliation.decide(
                qj,
                jobs(qj, context),
                context.getSecondaryResources(Pod.class),
                pod -> readLogTail(client, pod),
                defaults,
                indexedJobs(client),
                now);

        if (decision.jobToCreate().isPresent()) {
            decision = admitAndCreate(qj, decision, context, now);
        }
        for (Job job : decision.phaseJobs()) {
            Optional<String> refusal = createJob(client, job);
            if (refusal.isPresent()) {
                decision = Reconciliation.jobRefused(qj, decision, refusal.get(), now);
                break;
            }
        }
        queue.waiting(qj, decision.status() != null ? decision.status().phase == Phase.Queued : isQueued(qj));
        for (String name : decision.jobsToDelete()) {
            LOG.infof(
                    "stopping Job %s/%s of QuantizationJob %s",
                    namespace, name, qj.getMetadata().getName());
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(name)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                    .delete();
        }
        if (decision.status() != null) {
            QuantizationJobStatus before = qj.getStatus();
            if (!writeStatus(qj, decision.status(), context)) {
                // Decided on an outdated copy: decide again once the cache has the newer one.
                return UpdateControl.<QuantizationJob>noUpdate().rescheduleAfter(CONFLICT_RETRY);
            }
            metrics.recordStored(before, decision.status());
        }
        // Only after the status is stored: a failed write retries the reconciliation, which would send it twice.
        decision.event().ifPresent(event -> emit(client, qj, event));
        return Reconciliation.recheckAfter(qj, decision)
                .map(after -> UpdateControl.<QuantizationJob>noUpdate().rescheduleAfter(after))
                .orElseGet(UpdateControl::noUpdate);
    }

    @Override
    public ErrorStatusUpdateControl<QuantizationJob> updateErrorStatus(
            QuantizationJob qj, Context<QuantizationJob> context, Exception e) {
        metrics.reconcileError(qj);
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }

    /**
     * A QuantizationJob is being deleted (the finalizer JOSDK adds for a {@link Cleaner} holds it): a sharded run's work
     * location is removed by its cleanup phase before the finalizer goes ({@link DeletionCleanup}); the owned Jobs are
     * stopped first and garbage-collected with the resource. Never blocks the deletion for longer than
     * {@link DeletionCleanup#TIMEOUT}: then, or when the cleanup cannot run, it logs, records a Warning event and lets
     * the deletion go on.
     */
    @Override
    public DeleteControl cleanup(QuantizationJob qj, Context<QuantizationJob> context) {
        KubernetesClient client = context.getClient();
        String namespace = qj.getMetadata().getNamespace();
        String name = qj.getMetadata().getName();
        DeletionCleanup.Step step = DeletionCleanup.decide(
                qj,
                context.getSecondaryResources(Job.class),
                context.getSecondaryResources(Pod.class),
                defaults,
                Instant.now(clock));
        if (step instanceof DeletionCleanup.Wait wait) {
            for (String job : wait.jobsToStop()) {
                LOG.infof("stopping Job %s/%s of deleted QuantizationJob %s", namespace, job, name);
                client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .withName(job)
                        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                        .delete();
            }
            if (wait.cleanupJob().isPresent()) {
                Optional<String> refusal = createJob(client, wait.cleanupJob().get());
                if (refusal.isPresent()) {
                    step = DeletionCleanup.refused(qj, refusal.get());
                }
            }
            if (step instanceof DeletionCleanup.Wait) {
                LOG.debugf("QuantizationJob %s/%s deleted: %s", namespace, name, wait.why());
                return DeleteControl.noFinalizerRemoval()
                        .rescheduleAfter(wait.after().toMillis());
            }
        }
        if (step instanceof DeletionCleanup.GiveUp giveUp) {
            LOG.warnf("QuantizationJob %s/%s deleted: %s", namespace, name, giveUp.message());
            emit(client, qj, new Transition("Warning", "WorkLocationNotDeleted", giveUp.message()));
        } else if (step instanceof DeletionCleanup.Release release) {
            LOG.infof("QuantizationJob %s/%s deleted: %s", namespace, name, release.why());
        }
        return DeleteControl.defaultDelete();
    }

    /**
     * The Jobs of {@code qj} as the informer cache shows them, plus the one its status names when the cache has
     * not delivered it yet (read from the API server): a Job missing here is taken for a deleted one.
     */
    private static Collection<Job> jobs(QuantizationJob qj, Context<QuantizationJob> context) {
        Set<Job> cached = context.getSecondaryResources(Job.class);
        Optional<String> unconfirmed = Reconciliation.jobToConfirm(qj, cached);
        if (unconfirmed.isEmpty()) {
            return cached;
        }
        Job live = context.getClient()
                .batch()
                .v1()
                .jobs()
                .inNamespace(qj.getMetadata().getNamespace())
                .withName(unconfirmed.get())
                .get();
        if (live == null) {
            return cached;
        }
        LOG.debugf("Job %s/%s is not in the cache yet", qj.getMetadata().getNamespace(), unconfirmed.get());
        List<Job> all = new ArrayList<>(cached);
        all.add(live);
        return all;
    }

    /**
     * Creates the planned Job when the queue admits it (Kueue-queued runs are admitted by Kueue, not here). Admitting
     * and creating hold the queue's lock: reconciliations of different resources run in parallel, and two of them
     * must not both take the last slot.
     */
    private Decision admitAndCreate(
            QuantizationJob qj, Decision decision, Context<QuantizationJob> context, Instant now) {
        KubernetesClient client = context.getClient();
        Job job = decision.jobToCreate().get();
        synchronized (queue) {
            if (qj.getSpec().queueName == null) {
                Admission.Verdict verdict = queue.verdict(
                        qj, context.getPrimaryCache().list(), jobSource.list().toList(), now);
                if (!verdict.admitted()) {
                    return Reconciliation.queued(qj, decision, verdict, now);
                }
            }
            Optional<String> refusal = createJob(client, job);
            if (refusal.isPresent()) {
                return Reconciliation.jobRefused(qj, decision, refusal.get(), now);
            }
            queue.reserve(job, now);
            return decision;
        }
    }

    /**
     * Whether the API server serves Indexed Jobs (batch/v1 completionMode Indexed, GA in 1.24), asked once: a
     * sharded run's phase then takes one Job instead of one per shard.
     */
    private boolean indexedJobs(KubernetesClient client) {
        Boolean known = indexedJobs;
        if (known == null) {
            try {
                var version = client.getKubernetesVersion();
                known = ClusterVersion.servesIndexedJobs(version.getMajor(), version.getMinor());
                LOG.infof(
                        "API server %s.%s: sharded runs use %s",
                        version.getMajor(), version.getMinor(), known ? "Indexed Jobs" : "one Job per shard");
            } catch (KubernetesClientException e) {
                LOG.warnf(
                        "cannot read the API server version (%s); sharded runs use one Job per shard", e.getMessage());
                return false;
            }
            indexedJobs = known;
        }
        return known;
    }

    private static boolean isQueued(QuantizationJob qj) {
        return qj.getStatus() != null && qj.getStatus().phase == Phase.Queued;
    }

    /**
     * Patches the status subresource the way JOSDK would (SSA with its field manager, or a merge patch), on the
     * condition that the resource is still the version this decision was made on: a replica that lost the Lease, or
     * a reconciliation on a stale cache, must not overwrite a newer status.
     *
     * @return false when the API server refused the write because the resource changed meanwhile (409)
     */
    private static boolean writeStatus(
            QuantizationJob qj, QuantizationJobStatus status, Context<QuantizationJob> context) {
        try {
            if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
                context.resourceOperations().serverSideApplyPrimaryStatus(statusPatch(qj, status));
            } else {
                qj.setStatus(status);
                context.resourceOperations().jsonMergePatchPrimaryStatus(qj);
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.infof(
                    "QuantizationJob %s/%s changed since version %s; deciding again",
                    qj.getMetadata().getNamespace(),
                    qj.getMetadata().getName(),
                    qj.getMetadata().getResourceVersion());
            return false;
        }
    }

    /** The server-side apply body: only the status, and the resourceVersion it was computed from as precondition. */
    static QuantizationJob statusPatch(QuantizationJob qj, QuantizationJobStatus status) {
        QuantizationJob patch = new QuantizationJob();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(qj.getMetadata().getName())
                .withNamespace(qj.getMetadata().getNamespace())
                .withResourceVersion(qj.getMetadata().getResourceVersion())
                .build());
        patch.setStatus(status);
        return patch;
    }

    /**
     * Creates the Job; returns the API server's message when it refuses it for good (a quota, an admission
     * webhook, an invalid pod), so that the run fails with that message instead of retrying forever.
     */
    private static Optional<String> createJob(KubernetesClient client, Job job) {
        try {
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(job.getMetadata().getNamespace())
                    .resource(job)
                    .create();
            LOG.infof(
                    "created Job %s/%s",
                    job.getMetadata().getNamespace(), job.getMetadata().getName());
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // The deterministic name makes the API server our duplicate check (the cache had not caught up).
                LOG.infof(
                        "Job %s/%s exists already",
                        job.getMetadata().getNamespace(), job.getMetadata().getName());
                return Optional.empty();
            }
            if (!Reconciliation.isRefusal(e.getCode())) {
                throw e;
            }
            String message = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage()
                    : e.getMessage();
            LOG.warnf(
                    "the API server refused Job %s/%s: %s",
                    job.getMetadata().getNamespace(), job.getMetadata().getName(), message);
            return Optional.of(message);
        }
    }

    private static Optional<String> readLogTail(KubernetesClient client, Pod pod) {
        try {
            return Optional.ofNullable(client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .inContainer(EngineContract.CONTAINER)
                    .tailingLines(LOG_TAIL_LINES)
                    .getLog());
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot read the result log line of pod %s/%s: %s",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }

    private void emit(KubernetesClient client, QuantizationJob qj, Transition transition) {
        String now = StatusCalculator.timestamp(Instant.now(clock));
        var event = new EventBuilder()
                .withNewMetadata()
                .withGenerateName(qj.getMetadata().getName() + ".")
                .withNamespace(qj.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(qj.getApiVersion())
                        .withKind(qj.getKind())
                        .withName(qj.getMetadata().getName())
                        .withNamespace(qj.getMetadata().getNamespace())
                        .withUid(qj.getMetadata().getUid())
                        .withResourceVersion(qj.getMetadata().getResourceVersion())
                        .build())
                .withType(transition.type())
                .withReason(transition.reason())
                .withMessage(transition.message())
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(JobLabels.MANAGER)
                .endSource()
                .withReportingComponent(JobLabels.MANAGER)
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(qj.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            // Events are best effort; a lost one must not fail the reconciliation.
            LOG.warnf(
                    "cannot record event %s for %s: %s",
                    transition.reason(), qj.getMetadata().getName(), e.getMessage());
        }
    }
}
