package dev.blueshift.operator.kube;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.ServicePorts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Map;

/**
 * The Services through which clients reach an MSD: the active one, named after the MSD, serves
 * production traffic; the preview one, `<msd>-preview`, reaches a new revision before promotion.
 * Both are the same Service with a different name and selector.
 */
public final class TrafficServiceBuilder {
    public static final String PREVIEW_SUFFIX = "-preview";

    private TrafficServiceBuilder() {}

    public static String activeName(MicroserviceDeployment msd) {
        return msd.getMetadata().getName();
    }

    public static String previewName(MicroserviceDeployment msd) {
        return msd.getMetadata().getName() + PREVIEW_SUFFIX;
    }

    public static Service active(MicroserviceDeployment msd, Map<String, String> selector) {
        return build(msd, activeName(msd), selector);
    }

    public static Service preview(MicroserviceDeployment msd, Map<String, String> selector) {
        return build(msd, previewName(msd), selector);
    }

    private static Service build(MicroserviceDeployment msd, String name, Map<String, String> selector) {
        ServicePorts ports = msd.getSpec().getService();
        return new ServiceBuilder()
                .withMetadata(OwnedObjectMeta.of(msd, name))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector)
                .withPorts(new ServicePortBuilder()
                        .withName("http")
                        .withProtocol("TCP")
                        .withPort(ports.getPort())
                        .withTargetPort(new IntOrString(ports.getTargetPort()))
                        .build())
                .endSpec()
                .build();
    }
}
