package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AwsSpec;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.api.v1alpha1.spec.aws.IamRoleSpec;
import dev.blueshift.operator.api.v1alpha1.status.AlarmStatus;
import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import dev.blueshift.operator.aws.cloudwatch.AlarmDerivation;
import dev.blueshift.operator.aws.cloudwatch.AlarmNames;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.AlarmStateEventSource;
import dev.blueshift.operator.aws.cloudwatch.CloudWatchAlarms;
import dev.blueshift.operator.aws.cloudwatch.DesiredAlarm;
import dev.blueshift.operator.aws.cloudwatch.ObservedAlarm;
import dev.blueshift.operator.aws.iam.DesiredRole;
import dev.blueshift.operator.aws.iam.IamRoles;
import dev.blueshift.operator.aws.iam.ObservedRole;
import dev.blueshift.operator.aws.iam.RoleChange;
import dev.blueshift.operator.aws.iam.RoleDerivation;
import dev.blueshift.operator.aws.iam.RoleNames;
import dev.blueshift.operator.aws.iam.RoleOwnership;
import dev.blueshift.operator.aws.iam.RolePlan;
import dev.blueshift.operator.kube.WorkloadIdentity;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;

/**
 * An MSD's AWS resources: its IAM role (IRSA) and the CloudWatch alarms of its live revisions.
 * {@link #reconcile} brings AWS in line with the spec and reports what it found; {@link #cleanup}
 * removes what the MSD owns when it is deleted. The reconciler calls nothing else.
 *
 * <p>AWS is not asked on every reconcile: only when the spec's generation or the live revisions
 * changed, when an alarm disappeared, after a failure's backoff, and every resync interval (which
 * is when drift made behind our back is corrected). In between, alarm states come from the shared
 * {@link AlarmPoller}.
 */
public class AwsResources {
  public static final String IDENTITY = "AwsIdentity";
  public static final String ALARMS = "AwsAlarms";
  static final String INITIAL_STATE = "INSUFFICIENT_DATA";
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /** When an MSD was last brought in line with AWS, and what came of it. */
  private record Memo(long generation, Set<String> revisions, AwsOutcome outcome, Instant nextSync, int failures) {}

  private final Supplier<AwsTarget> target;
  private final Supplier<IamRoles> roles;
  private final Supplier<CloudWatchAlarms> alarms;
  private final AlarmPoller poller;
  private final Duration resyncInterval;
  private final Duration pollInterval;
  private final Clock clock;
  private final Map<String, Memo> memos = new ConcurrentHashMap<>();
  /** Once IAM has shown the OIDC provider, it is not asked again (a missing one is asked at every sync). */
  private volatile boolean oidcProviderSeen;

  public AwsResources(
      Supplier<AwsTarget> target,
      Supplier<IamRoles> roles,
      Supplier<CloudWatchAlarms> alarms,
      AlarmPoller poller,
      Duration resyncInterval,
      Duration pollInterval,
      Clock clock) {
    this.target = target;
    this.roles = roles;
    this.alarms = alarms;
    this.poller = poller;
    this.resyncInterval = resyncInterval;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** The event source that reconciles an MSD when one of its alarms changes state. */
  public AlarmStateEventSource alarmStateEventSource() {
    return new AlarmStateEventSource(poller, pollInterval);
  }

  /** Brings the MSD's role and the alarms of {@code revisions} in line with its spec. */
  public AwsOutcome reconcile(MicroserviceDeployment msd, Set<String> revisions) {
    String uid = msd.getMetadata().getUid();
    ResourceID id = ResourceID.fromResource(msd);
    if (msd.getSpec().getAws() == null && !hasAlarmsInStatus(msd)) {
      memos.remove(uid);
      poller.forget(id);
      return AwsOutcome.none();
    }
    long generation = generation(msd);
    Instant now = clock.instant();
    Memo memo = memos.get(uid);
    if (memo != null && memo.generation() == generation && memo.revisions().equals(revisions)
        && now.isBefore(memo.nextSync()) && !anyAlarmMissing(memo)) {
      // Nothing changed on our side: report the alarms' latest states, ask AWS nothing.
      AwsStatus status = copyWithStates(memo.outcome().status().orElseGet(AwsStatus::new));
      return memo.outcome().withoutNotes(status, Optional.of(Duration.between(now, memo.nextSync())));
    }
    int failures = memo != null && memo.generation() == generation ? memo.failures() : 0;
    Sync sync = new Sync(msd, revisions);
    AwsOutcome outcome = sync.run();
    Duration wait = sync.recoverableFailure ? backoff(failures + 1) : resyncInterval;
    memos.put(uid, new Memo(generation, Set.copyOf(revisions), outcome, now.plus(wait), sync.recoverableFailure ? failures + 1 : 0));
    return new AwsOutcome(outcome.status(), outcome.conditions(), outcome.serviceAccount(), outcome.notes(), Optional.of(wait));
  }

  /** Deletes the MSD's alarms, and its role unless {@code deletionPolicy: Retain} or it is not ours. */
  public CleanupOutcome cleanup(MicroserviceDeployment msd) {
    ResourceID id = ResourceID.fromResource(msd);
    AwsSpec aws = msd.getSpec() == null ? null : msd.getSpec().getAws();
    if (aws == null && !hasAlarmsInStatus(msd)) {
      poller.forget(id);
      memos.remove(msd.getMetadata().getUid());
      return CleanupOutcome.finished("no AWS resources");
    }
    String ns = msd.getMetadata().getNamespace();
    String name = msd.getMetadata().getName();
    try {
      AwsTarget t = target.get();
      List<String> alarmNames = alarms.get().withPrefix(AlarmNames.prefix(t.clusterName(), ns, name)).stream()
          .map(ObservedAlarm::alarmName).toList();
      if (!alarmNames.isEmpty()) {
        alarms.get().delete(alarmNames);
      }
      String role = "no IAM role";
      IamRoleSpec iam = aws == null ? null : aws.getIam();
      if (iam != null) {
        String roleName = RoleNames.of(t.clusterName(), ns, name);
        if (iam.getDeletionPolicy() == DeletionPolicy.Retain) {
          role = "IAM role " + roleName + " retained (deletionPolicy: Retain)";
        } else {
          Optional<ObservedRole> observed = roles.get().find(roleName);
          if (observed.isEmpty()) {
            role = "IAM role " + roleName + " already gone";
          } else if (RoleOwnership.judge(observed.get().tags(), t.clusterName(), ns, name, false) != RoleOwnership.Verdict.OWNED) {
            role = "IAM role " + roleName + " left alone: it is not owned by this MicroserviceDeployment";
          } else {
            roles.get().delete(roleName);
            role = "IAM role " + roleName + " deleted";
          }
        }
      }
      poller.forget(id);
      memos.remove(msd.getMetadata().getUid());
      return CleanupOutcome.finished(alarmNames.size() + " alarm(s) deleted; " + role);
    } catch (SdkException | IllegalStateException e) {
      Memo memo = memos.get(msd.getMetadata().getUid());
      int failures = memo == null ? 1 : memo.failures() + 1;
      memos.put(msd.getMetadata().getUid(), new Memo(-1, Set.of(), AwsOutcome.none(), clock.instant(), failures));
      Duration wait = AwsErrors.isTerminal(e) ? resyncInterval : backoff(failures);
      return CleanupOutcome.retry(wait, "could not delete the AWS resources: " + AwsErrors.describe(e));
    }
  }

  /** 1s, 2s, 4s ... up to the resync interval. */
  Duration backoff(int failures) {
    long millis = FIRST_BACKOFF.toMillis() << Math.min(20, Math.max(0, failures - 1));
    return millis >= resyncInterval.toMillis() ? resyncInterval : Duration.ofMillis(millis);
  }

  /** Alarms made for an earlier spec must go even when spec.aws went entirely. */
  private static boolean hasAlarmsInStatus(MicroserviceDeployment msd) {
    return msd.getStatus() != null && msd.getStatus().getAws() != null && !msd.getStatus().getAws().getAlarms().isEmpty();
  }

  private boolean anyAlarmMissing(Memo memo) {
    return memo.outcome().status().map(s -> s.getAlarms().stream()
        .anyMatch(a -> poller.state(a.getAlarmName()).map(AlarmPoller.MISSING::equals).orElse(false))).orElse(false);
  }

  private AwsStatus copyWithStates(AwsStatus previous) {
    AwsStatus status = new AwsStatus();
    status.setRoleArn(previous.getRoleArn());
    status.setServiceAccountName(previous.getServiceAccountName());
    status.setAlarms(previous.getAlarms().stream()
        .map(a -> new AlarmStatus(a.getName(), a.getRevision(), a.getAlarmName(), poller.state(a.getAlarmName()).orElse(a.getState())))
        .toList());
    return status;
  }

  private static long generation(MicroserviceDeployment msd) {
    return msd.getMetadata().getGeneration() == null ? 0 : msd.getMetadata().getGeneration();
  }

  /** One pass over AWS for one MSD. */
  private final class Sync {
    private final MicroserviceDeployment msd;
    private final Set<String> revisions;
    private final String ns;
    private final String name;
    private final List<AwsOutcome.Condition> conditions = new ArrayList<>();
    private final List<AwsOutcome.Note> notes = new ArrayList<>();
    private boolean recoverableFailure;

    Sync(MicroserviceDeployment msd, Set<String> revisions) {
      this.msd = msd;
      this.revisions = revisions;
      this.ns = msd.getMetadata().getNamespace();
      this.name = msd.getMetadata().getName();
    }

    AwsOutcome run() {
      AwsSpec aws = Optional.ofNullable(msd.getSpec().getAws()).orElseGet(AwsSpec::new);
      AwsStatus status = new AwsStatus();
      AwsStatus previous = msd.getStatus() == null || msd.getStatus().getAws() == null ? new AwsStatus() : msd.getStatus().getAws();
      Optional<String> serviceAccount = WorkloadIdentity.serviceAccountName(msd);
      status.setServiceAccountName(serviceAccount.orElse(null));
      AwsTarget t;
      try {
        t = target.get();
      } catch (SdkException | IllegalStateException e) {
        failed(aws.getIam() != null ? IDENTITY : null, e);
        failed(aws.getAlarms() != null ? ALARMS : null, e);
        status.setRoleArn(previous.getRoleArn());
        status.setAlarms(previous.getAlarms());
        return outcome(status, serviceAccount, Optional.ofNullable(previous.getRoleArn()));
      }
      if (aws.getIam() != null) {
        try {
          status.setRoleArn(syncRole(t, serviceAccount.orElseThrow()).orElse(null));
        } catch (SdkException e) {
          failed(IDENTITY, e);
          status.setRoleArn(previous.getRoleArn());
        }
      }
      try {
        status.setAlarms(syncAlarms(t));
      } catch (SdkException e) {
        failed(aws.getAlarms() != null ? ALARMS : null, e);
        status.setAlarms(previous.getAlarms());
      }
      return outcome(status, serviceAccount, Optional.ofNullable(status.getRoleArn()));
    }

    private AwsOutcome outcome(AwsStatus status, Optional<String> serviceAccount, Optional<String> roleArn) {
      IamRoleSpec iam = msd.getSpec().getAws() == null ? null : msd.getSpec().getAws().getIam();
      boolean sts = iam != null && !Boolean.FALSE.equals(iam.getStsRegionalEndpoints());
      return new AwsOutcome(
          Optional.of(status),
          List.copyOf(conditions),
          serviceAccount.map(sa -> WorkloadServiceAccountBuilder.build(msd, sa, roleArn, sts)),
          List.copyOf(notes),
          Optional.empty());
    }

    private void failed(String type, Throwable e) {
      boolean terminal = AwsErrors.isTerminal(e);
      recoverableFailure |= !terminal;
      if (type != null) {
        String message = terminal
            ? AwsErrors.describe(e) + ". Fix the spec (or the account); the operator retries on the next change or resync."
            : "AWS did not answer well after retries: " + AwsErrors.describe(e) + ". Retrying with backoff.";
        conditions.add(new AwsOutcome.Condition(type, false, AwsErrors.reason(e), message));
      }
    }

    /** The role's ARN when the role is this MSD's and in line with the spec. */
    private Optional<String> syncRole(AwsTarget t, String serviceAccount) {
      if (t.oidcIssuer().isEmpty()) {
        conditions.add(new AwsOutcome.Condition(IDENTITY, false, "OidcIssuerNotConfigured",
            "The operator has no OIDC issuer (blueshift.aws.oidc-issuer), so it cannot write an IRSA trust policy."));
        return Optional.empty();
      }
      DesiredRole desired = RoleDerivation.desired(msd, serviceAccount, t).orElseThrow();
      IamRoles iam = roles.get();
      Optional<ObservedRole> observed = iam.find(desired.name());
      if (observed.isEmpty()) {
        try {
          String arn = iam.create(desired);
          iam.apply(desired.name(), RolePlan.between(desired, created(desired, arn)));
          notes.add(new AwsOutcome.Note(false, "RoleCreated", "Created IAM role " + arn));
          ready(arn);
          return Optional.of(arn);
        } catch (EntityAlreadyExistsException e) {
          // An earlier attempt of this very call created it (its answer was lost): look at it again.
          observed = iam.find(desired.name());
          if (observed.isEmpty()) {
            throw e;
          }
        }
      }
      ObservedRole role = observed.get();
      return syncExisting(t, desired, role, iam);
    }

    private Optional<String> syncExisting(AwsTarget t, DesiredRole desired, ObservedRole role, IamRoles iam) {
      boolean adopt = "true".equalsIgnoreCase(msd.getMetadata().getAnnotations() == null ? null
          : msd.getMetadata().getAnnotations().get(RoleOwnership.ADOPT_ANNOTATION));
      RoleOwnership.Verdict verdict = RoleOwnership.judge(role.tags(), t.clusterName(), ns, name, adopt);
      if (verdict == RoleOwnership.Verdict.FOREIGN) {
        conditions.add(new AwsOutcome.Condition(IDENTITY, false, "RoleNotOwned",
            "IAM role " + role.arn() + " exists without Blueshift's ownership tags; the operator will not modify or delete it."
                + " Annotate the MicroserviceDeployment with " + RoleOwnership.ADOPT_ANNOTATION + "=true to adopt it."));
        return Optional.empty();
      }
      if (verdict == RoleOwnership.Verdict.OTHER_OWNER) {
        conditions.add(new AwsOutcome.Condition(IDENTITY, false, "RoleOwnedByAnother",
            "IAM role " + role.arn() + " is tagged as owned by " + role.tags().get(RoleOwnership.CLUSTER) + "/"
                + role.tags().get(RoleOwnership.NAMESPACE) + "/" + role.tags().get(RoleOwnership.NAME)
                + "; the operator will not modify or delete it."));
        return Optional.empty();
      }
      List<RoleChange> changes = RolePlan.between(desired, role);
      iam.apply(desired.name(), changes);
      if (verdict == RoleOwnership.Verdict.ADOPTABLE) {
        notes.add(new AwsOutcome.Note(false, "RoleAdopted", "Adopted IAM role " + role.arn() + " (" + changes.size() + " change(s))"));
      } else if (!changes.isEmpty()) {
        notes.add(new AwsOutcome.Note(true, "RoleDriftCorrected", "IAM role " + role.arn() + " differed from the spec: " + summary(changes)));
      }
      ready(role.arn());
      return Optional.of(role.arn());
    }

    /** Ready, unless the cluster's OIDC provider is missing in IAM: then no Pod could assume the role. */
    private void ready(String arn) {
      AwsTarget t = target.get();
      if (!oidcProviderSeen) {
        oidcProviderSeen = roles.get().oidcProviderExists(t.oidcProviderArn().orElseThrow());
      }
      if (oidcProviderSeen) {
        conditions.add(new AwsOutcome.Condition(IDENTITY, true, "RoleReady", "IAM role " + arn + " matches the spec."));
      } else {
        conditions.add(new AwsOutcome.Condition(IDENTITY, false, "OidcProviderMissing", "IAM role " + arn
            + " matches the spec, but IAM has no OIDC provider " + t.oidcProviderArn().orElseThrow()
            + ", so Pods cannot assume it. Create it for the cluster's issuer (e.g. eksctl utils associate-iam-oidc-provider)."));
      }
    }

    private List<AlarmStatus> syncAlarms(AwsTarget t) {
      List<DesiredAlarm> desired = AlarmDerivation.desired(msd, t.clusterName(), revisions);
      if (desired.isEmpty() && (msd.getStatus() == null || msd.getStatus().getAws() == null
          || msd.getStatus().getAws().getAlarms().isEmpty()) && !memos.containsKey(msd.getMetadata().getUid())) {
        poller.forget(ResourceID.fromResource(msd));
        return List.of(); // never had alarms: nothing to look for
      }
      CloudWatchAlarms cloudWatch = alarms.get();
      Map<String, ObservedAlarm> observed = new LinkedHashMap<>();
      cloudWatch.withPrefix(AlarmNames.prefix(t.clusterName(), ns, name)).forEach(a -> observed.put(a.alarmName(), a));
      Map<String, String> known = new HashMap<>();
      List<AlarmStatus> statuses = new ArrayList<>();
      for (DesiredAlarm alarm : desired) {
        ObservedAlarm current = observed.remove(alarm.alarmName());
        if (current == null || !current.definition().equals(Optional.of(alarm.definition()))) {
          cloudWatch.put(alarm);
        } else {
          known.put(alarm.alarmName(), current.state());
        }
        String state = known.getOrDefault(alarm.alarmName(),
            poller.state(alarm.alarmName()).filter(s -> !AlarmPoller.MISSING.equals(s)).orElse(INITIAL_STATE));
        statuses.add(new AlarmStatus(alarm.name(), alarm.revision(), alarm.alarmName(), state));
      }
      if (!observed.isEmpty()) {
        cloudWatch.delete(observed.keySet());
        notes.add(new AwsOutcome.Note(false, "AlarmsPruned", "Deleted alarms of revisions no longer live: "
            + String.join(", ", observed.keySet())));
      }
      poller.watch(ResourceID.fromResource(msd), desired.stream().map(DesiredAlarm::alarmName).toList(), known);
      if (!desired.isEmpty()) {
        conditions.add(new AwsOutcome.Condition(ALARMS, true, "AlarmsReady",
            desired.size() + " alarm(s) for revision(s) " + String.join(", ", revisions.stream().sorted().toList()) + "."));
      }
      return statuses;
    }

    private static String summary(List<RoleChange> changes) {
      return changes.stream().map(c -> c.getClass().getSimpleName()).collect(Collectors.joining(", "));
    }

    /** The role as CreateRole just made it: trust policy, tags and settings, no policies yet. */
    private static ObservedRole created(DesiredRole desired, String arn) {
      return new ObservedRole(desired.name(), arn, desired.trustPolicy(), Map.of(), Set.of(), desired.permissionsBoundary(),
          desired.maxSessionDuration(), desired.tags());
    }
  }
}
