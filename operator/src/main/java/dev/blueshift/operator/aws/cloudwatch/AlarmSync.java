package dev.blueshift.operator.aws.cloudwatch;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.AlarmStatus;
import dev.blueshift.operator.aws.AwsOutcome;
import dev.blueshift.operator.aws.AwsTarget;
import dev.blueshift.operator.aws.SyncReport;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Brings an MSD's alarms in line with its spec and live revisions: puts the missing or changed
 * ones (an unchanged alarm is not written: CloudWatch would reset its state), deletes those of
 * pruned revisions or removed specs, and hands the names to the shared {@link AlarmPoller}.
 */
public class AlarmSync {
    /** What AWS starts a new alarm in, until the poller reads its state. */
    static final String INITIAL_STATE = "INSUFFICIENT_DATA";

    private final Supplier<CloudWatchAlarms> alarms;
    private final AlarmPoller poller;

    public AlarmSync(Supplier<CloudWatchAlarms> alarms, AlarmPoller poller) {
        this.alarms = alarms;
        this.poller = poller;
    }

    /**
     * The alarms of {@code revisions} and their states; the AwsAlarms condition in {@code report}.
     * With {@code mayHaveAlarms} false and none desired, CloudWatch is not asked at all.
     */
    public List<AlarmStatus> sync(
            MicroserviceDeployment msd,
            Set<String> revisions,
            AwsTarget target,
            boolean mayHaveAlarms,
            SyncReport report) {
        ResourceID id = ResourceID.fromResource(msd);
        List<DesiredAlarm> desired = AlarmDerivation.desired(msd, target.clusterName(), revisions);
        if (desired.isEmpty() && !mayHaveAlarms) {
            poller.forget(id);
            return List.of();
        }
        CloudWatchAlarms cloudWatch = alarms.get();
        Map<String, ObservedAlarm> observed = new LinkedHashMap<>();
        cloudWatch.withPrefix(prefix(msd, target)).forEach(a -> observed.put(a.alarmName(), a));
        Map<String, String> known = new HashMap<>();
        List<AlarmStatus> statuses = new ArrayList<>();
        for (DesiredAlarm alarm : desired) {
            ObservedAlarm current = observed.remove(alarm.alarmName());
            if (current == null || !current.definition().equals(Optional.of(alarm.definition()))) {
                cloudWatch.put(alarm);
            } else {
                known.put(alarm.alarmName(), current.state());
            }
            String state = known.getOrDefault(
                    alarm.alarmName(),
                    poller.state(alarm.alarmName())
                            .filter(s -> !AlarmPoller.MISSING.equals(s))
                            .orElse(INITIAL_STATE));
            statuses.add(new AlarmStatus(alarm.name(), alarm.revision(), alarm.alarmName(), state));
        }
        if (!observed.isEmpty()) {
            cloudWatch.delete(observed.keySet());
            report.note(
                    false, "AlarmsPruned", "Deleted alarms no longer wanted: " + String.join(", ", observed.keySet()));
        }
        poller.watch(id, desired.stream().map(DesiredAlarm::alarmName).toList(), known);
        if (!desired.isEmpty()) {
            report.condition(
                    AwsOutcome.ALARMS,
                    true,
                    "AlarmsReady",
                    desired.size() + " alarm(s) for revision(s) "
                            + String.join(", ", revisions.stream().sorted().toList()) + ".");
        }
        return statuses;
    }

    /** Deletes every alarm of the MSD; returns how many there were. */
    public int deleteAll(MicroserviceDeployment msd, AwsTarget target) {
        List<String> names = alarms.get().withPrefix(prefix(msd, target)).stream()
                .map(ObservedAlarm::alarmName)
                .toList();
        if (!names.isEmpty()) {
            alarms.get().delete(names);
        }
        poller.forget(ResourceID.fromResource(msd));
        return names.size();
    }

    private static String prefix(MicroserviceDeployment msd, AwsTarget target) {
        return AlarmNames.prefix(
                target.clusterName(),
                msd.getMetadata().getNamespace(),
                msd.getMetadata().getName());
    }
}
