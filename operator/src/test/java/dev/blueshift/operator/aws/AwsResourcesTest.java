package dev.blueshift.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.aws.cloudwatch.AlarmNames;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.AlarmSync;
import dev.blueshift.operator.aws.cloudwatch.SdkCloudWatchAlarms;
import dev.blueshift.operator.aws.iam.GuardrailProfiles;
import dev.blueshift.operator.aws.iam.PolicyDocuments;
import dev.blueshift.operator.aws.iam.RoleNames;
import dev.blueshift.operator.aws.iam.RoleOwnership;
import dev.blueshift.operator.aws.iam.SdkIamRoles;
import dev.blueshift.operator.aws.iam.TrustPolicy;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsEmulatorResource;
import dev.blueshift.operator.support.aws.AwsMsds;
import dev.blueshift.operator.support.aws.AwsTestClients;
import dev.blueshift.operator.support.aws.FaultPlan;
import dev.blueshift.operator.support.aws.MutableClock;
import dev.blueshift.operator.support.aws.TestAwsConfig;
import dev.blueshift.operator.support.aws.TestGuardrails;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The lifecycle of an MSD's role and alarms, with the real SDK adapters against moto (through the
 * fault-injecting proxy): creation, no writes in steady state, drift correction, semantic trust
 * policy comparison, ownership and adoption, terminal and recoverable errors, deletion.
 */
@Tag("aws")
class AwsResourcesTest {
    static final Duration RESYNC = Duration.ofMinutes(10);
    static final Set<String> WRITES = Set.of(
            "CreateRole",
            "UpdateAssumeRolePolicy",
            "UpdateRole",
            "PutRolePermissionsBoundary",
            "DeleteRolePermissionsBoundary",
            "TagRole",
            "UntagRole",
            "PutRolePolicy",
            "DeleteRolePolicy",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "DeleteRole",
            "PutMetricAlarm",
            "DeleteAlarms",
            "SetAlarmState",
            "TagResource");

    final AwsEmulatorProxy proxy = AwsEmulator.proxy();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TestAwsConfig config = TestAwsConfig.viaProxy();
    final AwsClients clients = new AwsClients(config, registry);
    final IamClient iamClient = clients.iam();
    final CloudWatchClient cloudWatchClient = clients.cloudWatch();
    final IamClient iam = AwsTestClients.iam();
    final CloudWatchClient cloudWatch = AwsTestClients.cloudWatch();
    final SdkCloudWatchAlarms alarms = new SdkCloudWatchAlarms(cloudWatchClient);
    final AlarmPoller poller = new AlarmPoller(() -> alarms);
    final MutableClock clock = new MutableClock();
    final String cluster = AwsEmulatorResource.CLUSTER_NAME + "-unit";
    final AwsTarget target =
            new AwsTarget(cluster, AwsEmulator.ACCOUNT_ID, "aws", Optional.of(AwsEmulatorResource.OIDC_ISSUER));
    /** The admin's rules the operator under test applies: the defaults unless a test says otherwise. */
    GuardrailProfiles.Resolution guardrails = TestGuardrails.defaults();

    final AwsResources resources = resources(target, 4, Duration.ofDays(1));
    final String namespace = "ns-" + UUID.randomUUID().toString().substring(0, 8);
    MicroserviceDeployment msd;

    @BeforeEach
    void msd() {
        proxy.faults().clear();
        msd = AwsMsds.withRoleAndAlarm(namespace, "cart");
        msd.getMetadata().setUid(UUID.randomUUID().toString());
    }

    @AfterEach
    void cleanUp() {
        proxy.faults().clear();
        msd.getSpec().getAws().getIam().setDeletionPolicy(DeletionPolicy.Delete);
        resources.cleanup(msd);
        List.of(iamClient, cloudWatchClient, iam, cloudWatch).forEach(c -> c.close());
    }

    @Test
    void creatingAnMsdCreatesItsRoleWithTrustPolicyPoliciesTagsAndItsAlarm() {
        proxy.clearCalls();

        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        report("MSD creation", proxy.calls());
        Role role = iam.getRole(r -> r.roleName(roleName())).role();
        assertThat(outcome.status().orElseThrow().getRoleArn())
                .isEqualTo(role.arn())
                .isEqualTo("arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":role/blueshift/" + roleName());
        assertThat(PolicyDocuments.equivalent(
                        TrustPolicy.irsa(
                                "aws",
                                AwsEmulator.ACCOUNT_ID,
                                "oidc.eks.us-east-1.amazonaws.com/id/BLUESHIFTTEST0000",
                                namespace,
                                "cart"),
                        URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(tags(role))
                .containsEntry("team", "payments")
                .containsEntry(RoleOwnership.MANAGED_BY, "blueshift")
                .containsEntry(RoleOwnership.CLUSTER, cluster)
                .containsEntry(RoleOwnership.NAMESPACE, namespace)
                .containsEntry(RoleOwnership.NAME, "cart");
        assertThat(attached()).containsExactly(AwsMsds.READ_ONLY);
        assertThat(PolicyDocuments.equivalent(
                        AwsMsds.S3_READ,
                        iam.getRolePolicy(r -> r.roleName(roleName()).policyName("blueshift-inline"))
                                .policyDocument()))
                .isTrue();
        assertThat(outcome.conditions())
                .contains(new AwsOutcome.Condition(
                        AwsOutcome.IDENTITY, true, "RoleReady", "IAM role " + role.arn() + " matches the spec."));
        assertThat(outcome.conditions())
                .anySatisfy(c -> assertThat(c.type() + c.status() + c.reason()).isEqualTo("AwsAlarmstrueAlarmsReady"));
        assertThat(outcome.notes()).extracting(AwsOutcome.Note::reason).containsExactly("RoleCreated");
        assertThat(outcome.serviceAccount().orElseThrow().getMetadata().getAnnotations())
                .containsEntry(WorkloadServiceAccountBuilder.ROLE_ARN, role.arn());
        assertThat(outcome.status().orElseThrow().getAlarms()).singleElement().satisfies(a -> {
            assertThat(a.getName()).isEqualTo("errors");
            assertThat(a.getRevision()).isEqualTo("rev1");
            assertThat(a.getAlarmName()).isEqualTo(AlarmNames.of(cluster, namespace, "cart", "errors", "rev1"));
        });
        assertThat(alarms.withPrefix(prefix())).hasSize(1);
    }

    @Test
    void withoutTheClustersOidcProviderInIamTheRoleIsMadeButTheConditionSaysPodsCannotAssumeIt() {
        String issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/NOTREGISTERED"
                + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        AwsTarget unregistered = new AwsTarget(cluster, AwsEmulator.ACCOUNT_ID, "aws", Optional.of(issuer));
        AwsResources withoutProvider = resources(unregistered, 4, Duration.ofDays(1));

        AwsOutcome outcome = withoutProvider.reconcile(msd, Set.of("rev1"));

        assertThat(outcome.conditions()).anySatisfy(c -> {
            assertThat(c.type() + "=" + c.status() + "/" + c.reason())
                    .isEqualTo("AwsIdentity=false/OidcProviderMissing");
            assertThat(c.message()).contains(unregistered.oidcProviderArn().orElseThrow(), "cannot assume");
        });
        assertThat(roleExists()).isTrue();

        AwsEmulator.registerOidcProvider(issuer);
        clock.advance(RESYNC);
        assertThat(withoutProvider.reconcile(msd, Set.of("rev1")).conditions())
                .anySatisfy(c -> assertThat(c.type() + "=" + c.reason()).isEqualTo("AwsIdentity=RoleReady"));
    }

    @Test
    void aSteadyStateResyncOnlyReadsAndBetweenResyncsNothingIsAsked() {
        resources.reconcile(msd, Set.of("rev1"));
        proxy.clearCalls();

        AwsOutcome soon = resources.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls()).as("within the resync interval").isEmpty();
        assertThat(soon.requeueAfter()).hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(RESYNC));

        clock.advance(RESYNC);
        resources.reconcile(msd, Set.of("rev1"));

        report("steady-state resync", proxy.calls());
        assertThat(proxy.calls()).isNotEmpty().noneMatch(c -> WRITES.contains(c.operation()));
    }

    @Test
    void whileAwsIsSlowOnlyThePermitHoldersWaitOnItAndOtherMsdsReturnAtOnceKeepingWhatIsKnown() throws Exception {
        AwsResources twoPermits = resources(target, 2, Duration.ofDays(1));
        twoPermits.reconcile(msd, Set.of("rev1"));
        String roleArn = "arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":role/blueshift/" + roleName();
        List<MicroserviceDeployment> slowOnes = List.of(newMsd("slow-a"), newMsd("slow-b"));
        MicroserviceDeployment waiting = newMsd("waiting");
        ExecutorService reconcileThreads = Executors.newFixedThreadPool(2);
        try {
            // Every IAM answer leaves a second late (within the SDK's attempt timeout: no retries).
            proxy.faults().slow("iam", FaultPlan.ANY, Duration.ofSeconds(1), FaultPlan.UNTIL_CLEARED);
            List<Future<AwsOutcome>> slow = slowOnes.stream()
                    .map(m -> reconcileThreads.submit(() -> twoPermits.reconcile(m, Set.of("rev1"))))
                    .toList();
            await().atMost(Duration.ofSeconds(10)).until(() -> twoPermits.syncsInProgress() == 2);

            // A new MSD asks AWS nothing: its conditions say why, and no ServiceAccount is made yet,
            // so that its Pods wait for it instead of starting without their role.
            AwsOutcome deferred = twoPermits.reconcile(waiting, Set.of("rev1"));
            assertThat(slow).noneMatch(Future::isDone);
            assertThat(deferred.requeueAfter()).contains(BackgroundSyncs.BUSY_RETRY);
            assertThat(deferred.serviceAccount()).isEmpty();
            assertThat(deferred.conditions())
                    .extracting(AwsOutcome.Condition::type, AwsOutcome.Condition::status, AwsOutcome.Condition::reason)
                    .containsExactlyInAnyOrder(
                            tuple(AwsOutcome.IDENTITY, false, "WaitingForAws"),
                            tuple(AwsOutcome.ALARMS, false, "WaitingForAws"));
            assertThat(deferred.conditions().get(0).message()).contains("max-concurrent-syncs = 2");

            // An MSD due for its resync keeps what its last sync found: its role, its annotated
            // ServiceAccount and its conditions, without a flap.
            clock.advance(RESYNC);
            AwsOutcome kept = twoPermits.reconcile(msd, Set.of("rev1"));
            assertThat(slow).noneMatch(Future::isDone);
            assertThat(kept.requeueAfter()).contains(BackgroundSyncs.BUSY_RETRY);
            assertThat(kept.status().orElseThrow().getRoleArn()).isEqualTo(roleArn);
            assertThat(kept.serviceAccount().orElseThrow().getMetadata().getAnnotations())
                    .containsEntry("eks.amazonaws.com/role-arn", roleArn);
            assertThat(kept.conditions())
                    .anySatisfy(c -> assertThat(c.type() + c.status()).isEqualTo(AwsOutcome.IDENTITY + "true"));

            // Once the permit holders are done, the waiting MSD gets its turn.
            for (Future<AwsOutcome> done : slow) {
                assertThat(done.get(60, TimeUnit.SECONDS).conditions())
                        .anySatisfy(c -> assertThat(c.type() + c.status()).isEqualTo(AwsOutcome.IDENTITY + "true"));
            }
            proxy.faults().clear();
            AwsOutcome served = twoPermits.reconcile(waiting, Set.of("rev1"));
            assertThat(served.serviceAccount()).isPresent();
            assertThat(served.conditions())
                    .anySatisfy(c -> assertThat(c.type() + c.status() + c.reason())
                            .isEqualTo(AwsOutcome.IDENTITY + "trueRoleReady"));
        } finally {
            proxy.faults().clear();
            reconcileThreads.shutdownNow();
            for (MicroserviceDeployment m : List.of(slowOnes.get(0), slowOnes.get(1), waiting)) {
                twoPermits.cleanup(m);
            }
        }
    }

    @Test
    void aSyncSlowerThanTheSyncWaitGoesOnInTheBackgroundKeepingWhatIsKnownAndWakesTheMsdWhenDone() throws Exception {
        AwsResources bounded = resources(target, 4, Duration.ofMillis(100));
        // Made at once, or in the background (the first sync may take longer than 100 ms): then the next reconcile has
        // it.
        AwsOutcome first = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> bounded.reconcile(msd, Set.of("rev1")),
                        o -> o.status().isPresent() && o.status().get().getRoleArn() != null);
        java.util.concurrent.BlockingQueue<io.javaoperatorsdk.operator.processing.event.ResourceID> woken =
                new java.util.concurrent.LinkedBlockingQueue<>();
        poller.onChange(woken::add);
        proxy.faults().slow("iam", FaultPlan.ANY, Duration.ofSeconds(1), FaultPlan.UNTIL_CLEARED);
        clock.advance(RESYNC);

        // The reconcile does not wait for the slow sync: it keeps the role, ServiceAccount and conditions it knew.
        AwsOutcome kept = bounded.reconcile(msd, Set.of("rev1"));
        assertThat(kept.requeueAfter()).contains(BackgroundSyncs.BUSY_RETRY);
        assertThat(kept.status().orElseThrow().getRoleArn())
                .isEqualTo(first.status().orElseThrow().getRoleArn());
        assertThat(kept.serviceAccount()).isPresent();
        assertThat(kept.conditions())
                .anySatisfy(c -> assertThat(c.type() + c.status()).isEqualTo(AwsOutcome.IDENTITY + "true"));
        // Nor does the next one start a second sync of the same MSD.
        proxy.clearCalls();
        bounded.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls()).isEmpty();

        assertThat(woken.poll(60, TimeUnit.SECONDS))
                .as("the MSD woken once its sync finished")
                .isEqualTo(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(msd));
        proxy.faults().clear();
        proxy.clearCalls();
        AwsOutcome synced = bounded.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls())
                .as("the background sync's result is used, AWS not asked again")
                .isEmpty();
        assertThat(synced.requeueAfter()).isNotEqualTo(Optional.of(BackgroundSyncs.BUSY_RETRY));
        assertThat(synced.conditions())
                .anySatisfy(c -> assertThat(c.type() + c.status()).isEqualTo(AwsOutcome.IDENTITY + "true"));
    }

    /** The operator's AWS side on {@code target}, with this test's clients, poller, guardrails and clock. */
    private AwsResources resources(AwsTarget on, int permits, Duration syncWait) {
        AwsSync sync = new AwsSync(
                () -> on,
                new IdentitySync(() -> new SdkIamRoles(iamClient), ns -> guardrails),
                new AlarmSync(() -> alarms, poller));
        return new AwsResources(
                sync, poller, new SyncSettings(RESYNC, Duration.ofSeconds(1), permits, syncWait), clock);
    }

    private MicroserviceDeployment newMsd(String name) {
        MicroserviceDeployment m = AwsMsds.withRoleAndAlarm(namespace, name);
        m.getMetadata().setUid(UUID.randomUUID().toString());
        m.getSpec().getAws().getIam().setDeletionPolicy(DeletionPolicy.Delete);
        return m;
    }

    @Test
    void policiesAttachedOrRemovedBehindOurBackAreCorrectedAtTheNextResync() {
        resources.reconcile(msd, Set.of("rev1"));
        iam.detachRolePolicy(r -> r.roleName(roleName()).policyArn(AwsMsds.READ_ONLY));
        iam.attachRolePolicy(r -> r.roleName(roleName()).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        iam.putRolePolicy(
                r -> r.roleName(roleName()).policyName("added-by-hand").policyDocument(AwsMsds.S3_READ));
        iam.deleteRolePolicy(r -> r.roleName(roleName()).policyName("blueshift-inline"));

        clock.advance(RESYNC);
        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        assertThat(attached()).containsExactly(AwsMsds.READ_ONLY);
        assertThat(iam.listRolePolicies(r -> r.roleName(roleName())).policyNames())
                .containsExactly("blueshift-inline");
        assertThat(outcome.notes()).singleElement().satisfies(n -> {
            assertThat(n.reason()).isEqualTo("RoleDriftCorrected");
            assertThat(n.message()).contains("PutInlinePolicy", "DeleteInlinePolicy", "AttachPolicy", "DetachPolicy");
        });
    }

    @Test
    void aTrustPolicyOnlyReorderedOrReSpelledIsNotRewrittenButARealChangeIs() {
        resources.reconcile(msd, Set.of("rev1"));
        String issuer = "oidc.eks.us-east-1.amazonaws.com/id/BLUESHIFTTEST0000";
        String respelled = "{\"Statement\":{\"Condition\":{\"StringEquals\":{\"" + issuer
                + ":aud\":[\"sts.amazonaws.com\"],\"" + issuer
                + ":sub\":\"system:serviceaccount:" + namespace
                + ":cart\"}},\"Action\":[\"sts:AssumeRoleWithWebIdentity\"],"
                + "\"Principal\":{\"Federated\":\"arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":oidc-provider/" + issuer
                + "\"},\"Effect\":\"Allow\"},"
                + "\"Version\":\"2012-10-17\"}";
        iam.updateAssumeRolePolicy(r -> r.roleName(roleName()).policyDocument(respelled));
        proxy.clearCalls();

        clock.advance(RESYNC);
        resources.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls()).noneMatch(c -> c.operation().equals("UpdateAssumeRolePolicy"));

        iam.updateAssumeRolePolicy(r -> r.roleName(roleName()).policyDocument(respelled.replace(":cart", ":intruder")));
        clock.advance(RESYNC);
        resources.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls())
                .filteredOn(c -> c.operation().equals("UpdateAssumeRolePolicy"))
                .hasSize(1);
        assertThat(URLDecoder.decode(
                        iam.getRole(r -> r.roleName(roleName())).role().assumeRolePolicyDocument(),
                        StandardCharsets.UTF_8))
                .contains("system:serviceaccount:" + namespace + ":cart")
                .doesNotContain("intruder");
    }

    @Test
    void aRoleWithoutOurTagsIsNeverModifiedNorDeletedUntilAdoptionIsAsked() {
        String foreignTrust =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        iam.createRole(r -> r.roleName(roleName()).path("/blueshift/").assumeRolePolicyDocument(foreignTrust));
        proxy.clearCalls();

        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        assertThat(proxy.calls())
                .filteredOn(c -> c.service().equals("iam"))
                .noneMatch(c -> WRITES.contains(c.operation()));
        assertThat(outcome.conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo(AwsOutcome.IDENTITY);
            assertThat(c.status()).isFalse();
            assertThat(c.reason()).isEqualTo("RoleNotOwned");
            assertThat(c.message()).contains(roleName(), RoleOwnership.ADOPT_ANNOTATION);
        });
        assertThat(outcome.status().orElseThrow().getRoleArn()).isNull();
        assertThat(outcome.serviceAccount())
                .as("no ServiceAccount until the role is ours: no Pod starts without it")
                .isEmpty();

        assertThat(resources.cleanup(msd).done()).isTrue();
        assertThat(iam.getRole(r -> r.roleName(roleName())).role().assumeRolePolicyDocument())
                .contains("ec2.amazonaws.com");

        msd.getMetadata().getAnnotations().put(RoleOwnership.ADOPT_ANNOTATION, "true");
        proxy.clearCalls();
        AwsOutcome refused = resources.reconcile(msd, Set.of("rev1"));
        assertThat(refused.conditions()).anySatisfy(c -> assertThat(c.reason()).isEqualTo("RoleAdoptionNotAllowed"));
        assertThat(proxy.calls())
                .as("adoption the admin does not allow writes nothing")
                .filteredOn(c -> c.service().equals("iam"))
                .noneMatch(c -> WRITES.contains(c.operation()));

        guardrails = new GuardrailProfiles.Rules(TestGuardrails.rules(java.util.Map.of("allow-role-adoption", "true")));
        msd.getMetadata()
                .setGeneration(
                        msd.getMetadata().getGeneration() == null
                                ? 2L
                                : msd.getMetadata().getGeneration() + 1);
        AwsOutcome adopted = resources.reconcile(msd, Set.of("rev1"));
        assertThat(adopted.notes()).extracting(AwsOutcome.Note::reason).contains("RoleAdopted");
        Role role = iam.getRole(r -> r.roleName(roleName())).role();
        assertThat(tags(role))
                .containsEntry(RoleOwnership.NAME, "cart")
                .containsEntry(RoleOwnership.NAMESPACE, namespace);
        assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
                .contains("AssumeRoleWithWebIdentity");
    }

    @Test
    void aRoleTaggedForAnotherMsdIsNeverTouchedEvenWhenAdoptionIsAsked() {
        iam.createRole(r -> r.roleName(roleName())
                .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .tags(RoleOwnership.tags(cluster, "other-namespace", "cart").entrySet().stream()
                        .map(e -> software.amazon.awssdk.services.iam.model.Tag.builder()
                                .key(e.getKey())
                                .value(e.getValue())
                                .build())
                        .toList()));
        msd.getMetadata().getAnnotations().put(RoleOwnership.ADOPT_ANNOTATION, "true");
        proxy.clearCalls();

        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        assertThat(proxy.calls())
                .filteredOn(c -> c.service().equals("iam"))
                .noneMatch(c -> WRITES.contains(c.operation()));
        assertThat(outcome.conditions()).anySatisfy(c -> assertThat(c.reason()).isEqualTo("RoleOwnedByAnother"));
        assertThat(resources.cleanup(msd).done()).isTrue();
        assertThat(tags(iam.getRole(r -> r.roleName(roleName())).role()))
                .containsEntry(RoleOwnership.NAMESPACE, "other-namespace");
        iam.deleteRole(r -> r.roleName(roleName()));
    }

    @Test
    void aMalformedInlinePolicyShowsIamsMessageAndIsNotRetriedInAHotLoop() {
        msd.getSpec()
                .getAws()
                .getIam()
                .setInlinePolicy(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}");

        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        assertThat(outcome.conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo(AwsOutcome.IDENTITY);
            assertThat(c.status()).isFalse();
            assertThat(c.reason()).isEqualTo("MalformedPolicyDocument");
            assertThat(c.message()).contains("MalformedPolicyDocument: ").contains("Fix the spec");
        });
        assertThat(outcome.requeueAfter()).contains(RESYNC);
        proxy.clearCalls();
        AwsOutcome again = resources.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls())
                .as("no AWS call before the spec changes or the resync is due")
                .isEmpty();
        assertThat(again.conditions()).isEqualTo(outcome.conditions());

        msd.getSpec().getAws().getIam().setInlinePolicy(AwsMsds.S3_READ);
        msd.getMetadata().setGeneration(2L);
        assertThat(resources.reconcile(msd, Set.of("rev1")).conditions())
                .anySatisfy(c -> assertThat(c.reason()).isEqualTo("RoleReady"));
    }

    @Test
    void aRequestIamRefusesAsInvalidShowsItsMessageAndIsNotRepeatedUntilTheSpecChanges() {
        msd.getSpec().getAws().getIam().getTags().put("cost center!", "42");

        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        assertThat(outcome.conditions()).anySatisfy(c -> {
            assertThat(c.type() + "=" + c.status()).isEqualTo("AwsIdentity=false");
            assertThat(c.reason()).isIn("ValidationError", "InvalidInput");
            assertThat(c.message()).contains("cost center!");
        });
        assertThat(roleExists()).isFalse();
        proxy.clearCalls();
        resources.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls()).isEmpty();
    }

    @Test
    void throttledCallsAreRetriedWithBackoffAndMakeExactlyOneRole() {
        proxy.faults()
                .throttle("iam", "CreateRole", 2)
                .throttle("iam", "GetRole", 1)
                .throttle("monitoring", "PutMetricAlarm", 2);
        proxy.clearCalls();

        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        assertThat(outcome.conditions())
                .allSatisfy(c -> assertThat(c.status()).as(c.toString()).isTrue());
        assertThat(proxy.calls())
                .filteredOn(c -> c.operation().equals("CreateRole"))
                .extracting(AwsEmulatorProxy.Call::fault)
                .containsExactly("THROTTLE", "THROTTLE", null);
        assertThat(registry.find(AwsCallMetrics.CALLS)
                        .tags("operation", "CreateRole", "outcome", "success")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(ourRoles()).containsExactly(roleName());
    }

    @Test
    void aSlowAnswerToCreateRoleThatDidLandMakesNoDuplicateAndNoError() {
        proxy.faults().slow("iam", "CreateRole", Duration.ofSeconds(3), 1);
        proxy.clearCalls();

        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));

        assertThat(proxy.calls())
                .filteredOn(c -> c.operation().equals("CreateRole"))
                .hasSize(2);
        assertThat(outcome.conditions())
                .anySatisfy(c -> assertThat(c.type() + "=" + c.reason()).isEqualTo("AwsIdentity=RoleReady"));
        assertThat(ourRoles()).containsExactly(roleName());
        assertThat(attached()).containsExactly(AwsMsds.READ_ONLY);
    }

    @Test
    void serverErrorsShowInStatusAreRetriedWithBackoffAndConvergeOnceTheyStop() {
        proxy.faults()
                .serverError("iam", FaultPlan.ANY, FaultPlan.UNTIL_CLEARED)
                .serverError("monitoring", FaultPlan.ANY, FaultPlan.UNTIL_CLEARED);

        AwsOutcome failing = resources.reconcile(msd, Set.of("rev1"));

        assertThat(failing.conditions()).hasSize(2).allSatisfy(c -> {
            assertThat(c.status()).isFalse();
            assertThat(c.reason()).isEqualTo("AwsUnavailable");
            assertThat(c.message()).contains("ServiceUnavailable", "HTTP 503", "Retrying with backoff");
        });
        assertThat(failing.requeueAfter()).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(resources.reconcile(msd, Set.of("rev1")).requeueAfter())
                .as("backoff doubles")
                .contains(Duration.ofSeconds(2));
        assertThat(registry.find(AwsCallMetrics.CALLS)
                        .tags("outcome", "server_error")
                        .counters())
                .isNotEmpty();

        proxy.faults().clear();
        clock.advance(Duration.ofSeconds(2));
        AwsOutcome converged = resources.reconcile(msd, Set.of("rev1"));

        assertThat(converged.conditions())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.status()).as(c.toString()).isTrue());
        assertThat(converged.requeueAfter()).contains(RESYNC);
        assertThat(ourRoles()).containsExactly(roleName());
    }

    @Test
    void aNewRevisionGetsItsAlarmAndThePrunedRevisionsAlarmIsDeleted() {
        resources.reconcile(msd, Set.of("rev1"));

        AwsOutcome both = resources.reconcile(msd, Set.of("rev1", "rev2"));
        assertThat(both.status().orElseThrow().getAlarms())
                .extracting(a -> a.getRevision())
                .containsExactlyInAnyOrder("rev1", "rev2");

        AwsOutcome pruned = resources.reconcile(msd, Set.of("rev2"));
        assertThat(alarms.withPrefix(prefix()))
                .extracting(a -> a.alarmName())
                .containsExactly(AlarmNames.of(cluster, namespace, "cart", "errors", "rev2"));
        assertThat(pruned.notes()).extracting(AwsOutcome.Note::reason).contains("AlarmsPruned");
    }

    @Test
    void alarmsRemovedFromTheSpecOrWithAllOfSpecAwsAreDeleted() {
        msd.getSpec().getAws().getAlarms().add(AwsMsds.errorRate("severe", 0.5));
        observe(resources.reconcile(msd, Set.of("rev1")));
        assertThat(alarms.withPrefix(prefix())).hasSize(2);

        msd.getSpec().getAws().getAlarms().remove(1);
        msd.getMetadata().setGeneration(2L);
        observe(resources.reconcile(msd, Set.of("rev1")));
        assertThat(alarms.withPrefix(prefix()))
                .extracting(a -> a.alarmName())
                .containsExactly(AlarmNames.of(cluster, namespace, "cart", "errors", "rev1"));

        var aws = msd.getSpec().getAws();
        msd.getSpec().setAws(null);
        msd.getMetadata().setGeneration(3L);
        AwsOutcome without = resources.reconcile(msd, Set.of("rev1"));
        assertThat(alarms.withPrefix(prefix())).isEmpty();
        assertThat(without.status().orElseThrow().getAlarms()).isEmpty();
        observe(without);
        assertThat(resources.reconcile(msd, Set.of("rev1")))
                .as("nothing left to look after")
                .isEqualTo(AwsOutcome.none());
        msd.getSpec().setAws(aws); // for the clean-up after the test
    }

    /** What the reconciler does with an outcome: it becomes the MSD's status. */
    private void observe(AwsOutcome outcome) {
        var status = new dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus();
        status.setAws(outcome.status().orElse(null));
        msd.setStatus(status);
    }

    @Test
    void anAlarmStateChangeReachesThePollerAndTheStatusWithoutOtherAwsCalls() {
        resources.reconcile(msd, Set.of("rev1"));
        String alarm = AlarmNames.of(cluster, namespace, "cart", "errors", "rev1");
        poller.pollOnce();

        AwsTestClients.setAlarmState(cloudWatch, alarm, StateValue.ALARM, "test: error rate 40%");
        Set<ResourceID> changed = poller.pollOnce();

        assertThat(changed).containsExactly(ResourceID.fromResource(msd));
        proxy.clearCalls();
        AwsOutcome outcome = resources.reconcile(msd, Set.of("rev1"));
        assertThat(proxy.calls()).isEmpty();
        assertThat(outcome.status().orElseThrow().getAlarms())
                .singleElement()
                .satisfies(a -> assertThat(a.getState()).isEqualTo("ALARM"));
        assertThat(poller.pollOnce()).as("no change, no reconcile").isEmpty();
    }

    @Test
    void anAlarmDeletedBehindOurBackIsRecreated() {
        resources.reconcile(msd, Set.of("rev1"));
        String alarm = AlarmNames.of(cluster, namespace, "cart", "errors", "rev1");
        cloudWatch.deleteAlarms(r -> r.alarmNames(alarm));

        assertThat(poller.pollOnce()).containsExactly(ResourceID.fromResource(msd));
        resources.reconcile(msd, Set.of("rev1"));

        assertThat(alarms.withPrefix(prefix())).extracting(a -> a.alarmName()).containsExactly(alarm);
    }

    @Test
    void deletionDetachesAndDeletesPoliciesThenTheRoleAndDeletesTheAlarms() {
        resources.reconcile(msd, Set.of("rev1"));
        proxy.clearCalls();

        CleanupOutcome outcome = resources.cleanup(msd);

        assertThat(outcome.done()).isTrue();
        assertThat(proxy.calls())
                .extracting(AwsEmulatorProxy.Call::operation)
                .containsSubsequence("DetachRolePolicy", "DeleteRolePolicy", "DeleteRole")
                .contains("DeleteAlarms");
        assertThat(roleExists()).isFalse();
        assertThat(alarms.withPrefix(prefix())).isEmpty();
    }

    @Test
    void deletionWithRetainKeepsTheRoleAndItsPolicies() {
        msd.getSpec().getAws().getIam().setDeletionPolicy(DeletionPolicy.Retain);
        resources.reconcile(msd, Set.of("rev1"));

        CleanupOutcome outcome = resources.cleanup(msd);

        assertThat(outcome.done()).isTrue();
        assertThat(outcome.message()).contains("retained");
        assertThat(roleExists()).isTrue();
        assertThat(attached()).containsExactly(AwsMsds.READ_ONLY);
        assertThat(alarms.withPrefix(prefix()))
                .as("alarms judge revisions of a workload that is gone")
                .isEmpty();
    }

    @Test
    void deletionWhileAwsFailsKeepsTheFinalizerAndRetriesWithBackoff() {
        resources.reconcile(msd, Set.of("rev1"));
        proxy.faults().serverError("iam", FaultPlan.ANY, FaultPlan.UNTIL_CLEARED);

        CleanupOutcome failing = resources.cleanup(msd);

        assertThat(failing.done()).isFalse();
        assertThat(failing.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(failing.message()).contains("ServiceUnavailable");
        proxy.faults().clear();
        assertThat(resources.cleanup(msd).done()).isTrue();
        assertThat(roleExists()).isFalse();
    }

    private String roleName() {
        return RoleNames.of(cluster, namespace, "cart");
    }

    private String prefix() {
        return AlarmNames.prefix(cluster, namespace, "cart");
    }

    private boolean roleExists() {
        try {
            iam.getRole(r -> r.roleName(roleName()));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    private List<String> attached() {
        return iam.listAttachedRolePolicies(r -> r.roleName(roleName())).attachedPolicies().stream()
                .map(p -> p.policyArn())
                .toList();
    }

    /** Every role in the account tagged as this MSD's: there must never be two. */
    private List<String> ourRoles() {
        Predicate<Role> ours = role -> namespace.equals(
                tags(iam.getRole(r -> r.roleName(role.roleName())).role()).get(RoleOwnership.NAMESPACE));
        return iam.listRolesPaginator().roles().stream()
                .filter(r -> r.roleName().startsWith("bs-" + namespace))
                .filter(ours)
                .map(Role::roleName)
                .toList();
    }

    private static Map<String, String> tags(Role role) {
        return role.tags().stream().collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    private static void report(String what, List<AwsEmulatorProxy.Call> calls) {
        Map<String, Long> counts = AwsEmulatorProxy.count(calls);
        long writes = calls.stream().filter(c -> WRITES.contains(c.operation())).count();
        System.out.printf("[aws-calls] %s: %d calls (%d writes) %s%n", what, calls.size(), writes, counts);
    }
}
