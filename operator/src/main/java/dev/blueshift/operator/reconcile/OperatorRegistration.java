package dev.blueshift.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkiverse.operatorsdk.runtime.QuarkusControllerConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The operator, with its reconcilers registered as their {@code @ControllerConfiguration} says. It
 * replaces the Quarkus extension's default producer for one reason: QOSDK 7.7.3 rebuilds each
 * controller's configuration without {@code triggerReconcilerOnAllEvents}, and without it JOSDK
 * never calls {@code reconcile} for a deleted MSD, so the finalizer Blueshift manages by hand
 * ({@link AwsFinalizer}) would never come off. Everything else is the extension's configuration,
 * untouched; the extension's other duty there, applying generated CRDs, is off here
 * ({@code quarkus.operator-sdk.crd.apply=false}: the CRD is the chart's).
 */
@Singleton
public class OperatorRegistration {
    @Produces
    @ApplicationScoped
    Operator operator(
            QuarkusConfigurationService configuration, Instance<Reconciler<? extends HasMetadata>> reconcilers) {
        Operator operator = new Operator(configuration);
        for (Reconciler<? extends HasMetadata> reconciler : reconcilers) {
            register(operator, configuration, reconciler);
        }
        Duration termination = configuration.reconciliationTerminationTimeout();
        if (!termination.isZero()) {
            operator.installShutdownHook(termination);
        }
        return operator;
    }

    private static <R extends HasMetadata> void register(
            Operator operator, QuarkusConfigurationService configuration, Reconciler<R> reconciler) {
        QuarkusControllerConfiguration<R> configured = configuration.getConfigurationFor(reconciler);
        operator.register(
                reconciler,
                declaresTriggerOnAllEvents(reconciler) && !configured.triggerReconcilerOnAllEvents()
                        ? new TriggeringOnAllEvents<>(configured, configuration)
                        : configured);
    }

    /** Whether the reconciler's {@code @ControllerConfiguration} asks for {@code triggerReconcilerOnAllEvents}. */
    static boolean declaresTriggerOnAllEvents(Reconciler<?> reconciler) {
        io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration declared = reconcilerClass(reconciler)
                .getAnnotation(io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration.class);
        return declared != null && declared.triggerReconcilerOnAllEvents();
    }

    /**
     * The extension's configuration of a controller, everything as it is but
     * {@code triggerReconcilerOnAllEvents}. It stays a {@link QuarkusControllerConfiguration}: the
     * extension's workflow factory expects one. Built as the extension itself rebuilds one
     * (QOSDK 7.7.3 {@code OperatorProducer}).
     */
    static final class TriggeringOnAllEvents<R extends HasMetadata> extends QuarkusControllerConfiguration<R> {
        TriggeringOnAllEvents(QuarkusControllerConfiguration<R> configured, QuarkusConfigurationService parent) {
            super(
                    configured.getInformerConfig(),
                    configured.getName(),
                    configured.isGenerationAware(),
                    configured.getAssociatedReconcilerClassName(),
                    configured.getRetry(),
                    configured.getRateLimiter(),
                    configured.maxReconciliationInterval().orElse(null),
                    configured.getFinalizerName(),
                    configured.fieldManager(),
                    configured.getWorkflow(),
                    configured.getResourceTypeName(),
                    configured.getResourceClass());
            setParent(parent);
        }

        @Override
        public boolean triggerReconcilerOnAllEvents() {
            return true;
        }
    }

    /** The class written in the source: CDI may hand over a subclass (a client proxy or an interceptor's). */
    private static Class<?> reconcilerClass(Reconciler<?> reconciler) {
        Class<?> c = reconciler.getClass();
        while (c != null
                && c.getAnnotation(io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration.class) == null) {
            c = c.getSuperclass();
        }
        return c == null ? reconciler.getClass() : c;
    }
}
