package dev.blueshift.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election for running several operator replicas (the Helm chart's default is 2): one
 * reconciles, the others wait on the Lease. Active in the prod profile only (QOSDK's default), so
 * tests run without it. The Lease lives in the operator's namespace, which the chart passes in
 * BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE; a local run sets it, or in a Pod the service
 * account's namespace is used.
 */
public class LeaderElectionSettings {
  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(
      @ConfigProperty(name = "blueshift.leader-election.lease-name", defaultValue = "blueshift-operator") String leaseName,
      @ConfigProperty(name = "blueshift.leader-election.lease-namespace") Optional<String> leaseNamespace) {
    return leaseNamespace.map(ns -> new LeaderElectionConfiguration(leaseName, ns))
        .orElseGet(() -> new LeaderElectionConfiguration(leaseName));
  }
}
