package dev.blueshift.operator.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs Pods that really run: the real node of hack/node.sh, with the sample service's
 * image imported. Skipped, saying why, when the node is not up (make test brings it up after the
 * other suites, where the machine can run it: see {@code hack/node.sh check}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealNode.class)
public @interface RealNodeOnly {}
