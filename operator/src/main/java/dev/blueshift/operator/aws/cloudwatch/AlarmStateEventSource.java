package dev.blueshift.operator.aws.cloudwatch;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.Set;

/** Turns the {@link AlarmPoller}'s state changes into reconciles of the owning MSDs. */
public class AlarmStateEventSource extends AbstractEventSource<ObservedAlarm, MicroserviceDeployment> {
    private final AlarmPoller poller;
    private final Duration interval;

    public AlarmStateEventSource(AlarmPoller poller, Duration interval) {
        super(ObservedAlarm.class, "cloudwatch-alarm-states");
        this.poller = poller;
        this.interval = interval;
    }

    @Override
    public void start() throws OperatorException {
        poller.onChange(msd -> getEventHandler().handleEvent(new Event(msd)));
        poller.start(interval);
        super.start();
    }

    @Override
    public void stop() throws OperatorException {
        poller.stop();
        super.stop();
    }

    @Override
    public Set<ObservedAlarm> getSecondaryResources(MicroserviceDeployment msd) {
        return Set.of(); // states reach the reconcile through AwsResources, which reads the poller's cache
    }
}
