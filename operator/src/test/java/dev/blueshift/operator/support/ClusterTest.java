package dev.blueshift.operator.support;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** A test of the running operator against the real control plane (local, or KUBECONFIG's). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@QuarkusTest
@QuarkusTestResource(LocalControlPlaneResource.class)
@QuarkusTestResource(AnalysisSettingsResource.class)
@Tag("cluster")
public @interface ClusterTest {}
