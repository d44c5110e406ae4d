package dev.blueshift.operator.analysis;

/** What is under analysis: one revision of one MSD. Fills the placeholders of queries and alarm names. */
public record AnalysisTarget(String namespace, String name, String revision) {
    public String render(String template) {
        return template.replace("{{revision}}", revision)
                .replace("{{namespace}}", namespace)
                .replace("{{name}}", name);
    }
}
