package dev.blueshift.sample;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the sample service reads from configuration under {@code blueshift.*}. */
@ConfigMapping(prefix = "blueshift")
public interface SampleConfig {
    /** The release revision this Pod runs; tags every metric. */
    String revision();

    String serviceName();

    Cache cache();

    Fault fault();

    Auth auth();

    CloudWatch cloudwatch();

    interface Cache {
        boolean enabled();

        Duration ttl();

        /** A Redis call slower than this is treated as Redis being down. */
        Duration timeout();
    }

    interface Fault {
        /** Share of API requests answered with an injected 500, between 0 and 1. */
        @WithDefault("0")
        double errorRate();

        /** Milliseconds added to every API request. */
        @WithDefault("0")
        long latencyMs();
    }

    interface Auth {
        /** App clients whose tokens are accepted (matched against client_id or aud). */
        List<String> clientIds();

        /** The token_use claim a token must carry: access, as API Gateway's Cognito authorizer expects. */
        String tokenUse();

        /** How long after its expiry a token is still accepted, for clock differences. */
        @WithDefault("30S")
        Duration expiryLeeway();

        /** How many verified tokens to remember; 0 verifies every request's token afresh. */
        @WithDefault("10000")
        int verifiedTokenCacheSize();

        /** How long a verified token is remembered at most (it is never trusted past its expiry). */
        @WithDefault("5M")
        Duration verifiedTokenTtl();

        /** The scope a caller needs to read products (used by @RolesAllowed). */
        String readScope();

        /** The scope a caller needs to create, change or delete products. */
        String writeScope();
    }

    interface CloudWatch {
        boolean enabled();

        String namespace();

        String region();

        /** An emulator's endpoint; empty means the region's real endpoint. */
        Optional<String> endpoint();

        Duration step();
    }
}
