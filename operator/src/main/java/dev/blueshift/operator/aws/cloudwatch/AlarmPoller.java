package dev.blueshift.operator.aws.cloudwatch;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One poller for the alarms of all MSDs: every interval it reads the state of every watched alarm
 * with DescribeAlarms, 100 names a call, so the calls grow with alarms / 100 and not with MSDs. When
 * an alarm's state changes (or the alarm disappears), the owning MSD is handed to the listener,
 * which triggers its reconcile.
 */
public class AlarmPoller {
    private static final Logger LOG = Logger.getLogger(AlarmPoller.class);
    /** The state of a watched alarm that CloudWatch no longer has. */
    public static final String MISSING = "MISSING";

    private final Supplier<CloudWatchAlarms> alarms;
    private final Map<ResourceID, Set<String>> watched = new ConcurrentHashMap<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private volatile Consumer<ResourceID> listener = id -> {};
    private ScheduledExecutorService schedule;

    public AlarmPoller(Supplier<CloudWatchAlarms> alarms) {
        this.alarms = alarms;
    }

    /** Watches exactly {@code alarmNames} for {@code msd}, whose states the caller just read. */
    public void watch(ResourceID msd, Collection<String> alarmNames, Map<String, String> knownStates) {
        Set<String> previous = watched.put(msd, Set.copyOf(alarmNames));
        if (previous != null) {
            previous.stream().filter(name -> !alarmNames.contains(name)).forEach(states::remove);
        }
        knownStates.forEach((name, state) -> {
            if (alarmNames.contains(name)) {
                states.put(name, state);
            }
        });
    }

    public void forget(ResourceID msd) {
        Set<String> previous = watched.remove(msd);
        if (previous != null) {
            previous.forEach(states::remove);
        }
    }

    /** The last state read of an alarm. */
    public Optional<String> state(String alarmName) {
        return Optional.ofNullable(states.get(alarmName));
    }

    /** Reconciles {@code msd} through the same event source as an alarm change (e.g. its AWS sync finished in the background). */
    public void wake(ResourceID msd) {
        listener.accept(msd);
    }

    public void onChange(Consumer<ResourceID> listener) {
        this.listener = listener;
    }

    public int watchedAlarms() {
        return watched.values().stream().mapToInt(Set::size).sum();
    }

    /** One round: reads every watched alarm's state and reports the MSDs whose alarms changed. */
    public Set<ResourceID> pollOnce() {
        Map<String, ResourceID> owners = new HashMap<>();
        watched.forEach((msd, names) -> names.forEach(name -> owners.put(name, msd)));
        if (owners.isEmpty()) {
            return Set.of();
        }
        Map<String, String> read = alarms.get().states(owners.keySet());
        Set<ResourceID> changed = new LinkedHashSet<>();
        owners.forEach((name, msd) -> {
            String now = read.getOrDefault(name, MISSING);
            String before = states.put(name, now);
            if (!Objects.equals(before, now)) {
                changed.add(msd);
            }
        });
        changed.retainAll(new HashSet<>(watched.keySet()));
        changed.forEach(listener);
        return changed;
    }

    public synchronized void start(Duration interval) {
        if (schedule != null) {
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "blueshift-alarm-poller");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(
                () -> {
                    try {
                        pollOnce();
                    } catch (RuntimeException e) {
                        // The next round tries again; the SDK already retried with backoff within this one.
                        LOG.warnf("alarm poll failed: %s", e.getMessage());
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (schedule != null) {
            schedule.shutdownNow();
            schedule = null;
        }
    }
}
