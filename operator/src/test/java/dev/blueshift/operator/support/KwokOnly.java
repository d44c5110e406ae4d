package dev.blueshift.operator.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs kwok's fake Pods: Pods that become Running and Ready whatever their image, so
 * that each release can be a placeholder image ({@code shop:1}, {@code shop:2}) no registry serves.
 * Skipped, saying why, on a cluster without kwok's nodes (KUBECONFIG's kind or EKS).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KwokNodes.class)
public @interface KwokOnly {}
