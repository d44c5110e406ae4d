package dev.blueshift.operator.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.TreatMissingData;
import dev.blueshift.operator.support.aws.AwsMsds;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlarmDerivationTest {
    @Test
    void defaultsMatchWhatTheSampleServicePublishesPerRevision() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm("shop", "cart");

        List<DesiredAlarm> alarms = AlarmDerivation.desired(msd, "prod", Set.of("rev1"));

        assertThat(alarms).singleElement().satisfies(a -> {
            assertThat(a.alarmName()).isEqualTo("blueshift/prod/shop/cart/errors/rev1");
            AlarmDefinition d = a.definition();
            assertThat(d.namespace()).isEqualTo("Blueshift/SampleService");
            assertThat(d.errorsMetric()).isEqualTo("Errors");
            assertThat(d.requestsMetric()).isEqualTo("Requests");
            assertThat(d.dimensions()).isEqualTo(Map.of("Revision", "rev1", "Service", "cart"));
            assertThat(d.period()).isEqualTo(60);
            assertThat(d.evaluationPeriods()).isEqualTo(3);
            assertThat(d.datapointsToAlarm())
                    .as("defaults to evaluationPeriods")
                    .isEqualTo(3);
            assertThat(d.threshold()).isEqualTo(0.05);
            assertThat(d.treatMissingData()).isEqualTo("missing");
            assertThat(a.tags())
                    .containsEntry("blueshift.dev/managed-by", "blueshift")
                    .containsEntry("blueshift.dev/revision", "rev1")
                    .containsEntry("blueshift.dev/namespace", "shop")
                    .containsEntry("blueshift.dev/name", "cart");
        });
    }

    @Test
    void eachRevisionGetsItsOwnAlarmJudgingOnlyItsTraffic() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm("shop", "cart");
        msd.getSpec().getAws().getAlarms().add(AwsMsds.errorRate("severe", 0.5));

        List<DesiredAlarm> alarms = AlarmDerivation.desired(msd, "prod", Set.of("new", "old"));

        assertThat(alarms)
                .extracting(DesiredAlarm::alarmName)
                .containsExactlyInAnyOrder(
                        "blueshift/prod/shop/cart/errors/new", "blueshift/prod/shop/cart/errors/old",
                        "blueshift/prod/shop/cart/severe/new", "blueshift/prod/shop/cart/severe/old");
        assertThat(alarms)
                .allSatisfy(a -> assertThat(a.definition().dimensions()).containsEntry("Revision", a.revision()));
    }

    @Test
    void namespaceMetricsAndDimensionsAreConfigurable() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm("shop", "cart");
        var rate = msd.getSpec().getAws().getAlarms().get(0).getErrorRate();
        rate.setNamespace("Shop/Api");
        rate.setErrors("5xx");
        rate.setRequests("Count");
        rate.setRevisionDimension("Release");
        rate.setDimensions(Map.of("ApiName", "cart-api", "Stage", "prod"));
        rate.setPeriod(300);
        rate.setEvaluationPeriods(5);
        rate.setDatapointsToAlarm(2);
        rate.setTreatMissingData(TreatMissingData.notBreaching);

        AlarmDefinition d =
                AlarmDerivation.desired(msd, "prod", Set.of("r")).get(0).definition();

        assertThat(d.namespace()).isEqualTo("Shop/Api");
        assertThat(d.errorsMetric()).isEqualTo("5xx");
        assertThat(d.requestsMetric()).isEqualTo("Count");
        assertThat(d.dimensions()).isEqualTo(Map.of("ApiName", "cart-api", "Stage", "prod", "Release", "r"));
        assertThat(d.period()).isEqualTo(300);
        assertThat(d.evaluationPeriods()).isEqualTo(5);
        assertThat(d.datapointsToAlarm()).isEqualTo(2);
        assertThat(d.treatMissingData()).isEqualTo("notBreaching");
    }

    @Test
    void anMsdWithoutAlarmsHasNone() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm("shop", "cart");
        msd.getSpec().getAws().setAlarms(null);
        assertThat(AlarmDerivation.desired(msd, "prod", Set.of("r"))).isEmpty();
    }

    @Test
    void thePrefixOfOneMsdDoesNotMatchTheAlarmsOfAnotherWhoseNameStartsAlike() {
        String cart = AlarmNames.prefix("prod", "shop", "cart");
        assertThat(AlarmNames.of("prod", "shop", "cart2", "errors", "r")).doesNotStartWith(cart);
        assertThat(AlarmNames.revision(cart, AlarmNames.of("prod", "shop", "cart", "errors", "abc")))
                .contains("abc");
    }
}
