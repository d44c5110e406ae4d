package dev.blueshift.operator.aws.cloudwatch;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.AlarmSpec;
import dev.blueshift.operator.api.v1alpha1.spec.aws.ErrorRateAlarm;
import dev.blueshift.operator.aws.iam.RoleOwnership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The alarms an MSD should have: each alarm of its spec, once per live revision. Pure. */
public final class AlarmDerivation {
    public static final String REVISION_TAG = "blueshift.dev/revision";

    private AlarmDerivation() {}

    public static List<DesiredAlarm> desired(MicroserviceDeployment msd, String cluster, Collection<String> revisions) {
        if (msd.getSpec().getAws() == null || msd.getSpec().getAws().getAlarms() == null) {
            return List.of();
        }
        String namespace = msd.getMetadata().getNamespace();
        String name = msd.getMetadata().getName();
        List<DesiredAlarm> alarms = new ArrayList<>();
        for (AlarmSpec spec : msd.getSpec().getAws().getAlarms()) {
            for (String revision : revisions.stream().sorted().toList()) {
                Map<String, String> tags = new LinkedHashMap<>(RoleOwnership.tags(cluster, namespace, name));
                tags.put(REVISION_TAG, revision);
                alarms.add(new DesiredAlarm(
                        AlarmNames.of(cluster, namespace, name, spec.getName(), revision),
                        spec.getName(),
                        revision,
                        definition(spec.getErrorRate(), name, namespace, spec.getName(), revision),
                        tags));
            }
        }
        return alarms;
    }

    static AlarmDefinition definition(
            ErrorRateAlarm rate, String msd, String namespace, String alarm, String revision) {
        TreeMap<String, String> dimensions = new TreeMap<>();
        if (rate.getDimensions() == null) {
            dimensions.put(ErrorRateAlarm.DEFAULT_SERVICE_DIMENSION, msd);
        } else {
            dimensions.putAll(rate.getDimensions());
        }
        dimensions.put(orDefault(rate.getRevisionDimension(), ErrorRateAlarm.DEFAULT_REVISION_DIMENSION), revision);
        int evaluationPeriods = rate.getEvaluationPeriods() == null ? 3 : rate.getEvaluationPeriods();
        return new AlarmDefinition(
                orDefault(rate.getNamespace(), ErrorRateAlarm.DEFAULT_NAMESPACE),
                orDefault(rate.getErrors(), ErrorRateAlarm.DEFAULT_ERRORS_METRIC),
                orDefault(rate.getRequests(), ErrorRateAlarm.DEFAULT_REQUESTS_METRIC),
                dimensions,
                rate.getPeriod() == null ? 60 : rate.getPeriod(),
                evaluationPeriods,
                rate.getDatapointsToAlarm() == null ? evaluationPeriods : rate.getDatapointsToAlarm(),
                rate.getThreshold(),
                rate.getTreatMissingData() == null
                        ? "missing"
                        : rate.getTreatMissingData().name(),
                "Error rate (" + AlarmDefinition.RATE_EXPRESSION + ") of " + namespace + "/" + msd + " revision "
                        + revision + ", alarm " + alarm + "; managed by Blueshift");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
