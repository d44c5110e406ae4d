package dev.blueshift.operator.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.support.KwokOnly;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator, a process of its own, killed with SIGKILL at random moments while BlueGreen
 * MSDs release, abort, roll back and are deleted, and started again (as a container restarted in
 * its Pod: same leader-election identity); {@link ReleaseTorture} checks the invariants of issue 12
 * throughout and the end state of every release.
 *
 * <p>Counts: {@code blueshift.crash.msds} MSDs in parallel, each with {@code
 * blueshift.crash.rounds} releases after its first ({@code make soak} raises them); seed: {@code
 * blueshift.crash.seed}. Runs in the failsafe phase, after packaging: see operator/pom.xml.
 */
@Tag("process")
@KwokOnly
class KillNineIT {
    private static final long SEED = Long.getLong("blueshift.crash.seed", new SecureRandom().nextLong());
    private static final int MSDS = Integer.getInteger("blueshift.crash.msds", 6);
    private static final int ROUNDS = Integer.getInteger("blueshift.crash.rounds", 6);

    @Test
    void everyReleaseEndsAsAskedAndNoInvariantBreaksWhereverTheOperatorIsKilled() throws Exception {
        ReleaseTorture torture = new ReleaseTorture(
                "[kill-9] ",
                "kill9",
                SEED,
                MSDS,
                ROUNDS,
                Map.of(),
                (operator, cluster, random) -> new OperatorKills(operator, random, cluster.client, cluster.namespace));
        OperatorKills kills = torture.run(OperatorKills.class, 5);
        assertThat(kills.count()).as("kills").isGreaterThanOrEqualTo(torture.releases() / 3);
        assertThat(kills.exits()).as("operator exits nobody asked for").isZero();
    }
}
