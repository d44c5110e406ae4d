package dev.blueshift.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Where the replicas' leader Lease lives, {@code blueshift.leader-election.*} (environment:
 * BLUESHIFT_LEADER_ELECTION_*). Used in the prod profile only, see {@link LeaderElectionSettings}.
 */
@ConfigMapping(prefix = "blueshift.leader-election")
public interface LeaderElectionConfig {
    @WithDefault("blueshift-operator")
    String leaseName();

    /** The operator's namespace (the Helm chart passes it); empty: the service account's namespace in a Pod. */
    Optional<String> leaseNamespace();
}
