package io.quanta.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The end-to-end tests (k8s-tests/, a Maven project of its own) build against the operator's libraries: the same
 * BOMs at the same versions, and no fabric8 or JUnit version of their own.
 */
class K8sTestsPomTest {
    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String property(Document pom, String name) {
        NodeList nodes = pom.getElementsByTagName(name);
        assertEquals(1, nodes.getLength(), name + " in " + pom.getDocumentURI());
        return nodes.item(0).getTextContent().strip();
    }

    @Test
    void sameBomVersionsAsTheOperator() throws Exception {
        Document main = read(Path.of("pom.xml"));
        Document e2e = read(Path.of("k8s-tests", "pom.xml"));
        for (String bom : List.of("quarkus.version", "operator-sdk.version")) {
            assertEquals(property(main, bom), property(e2e, bom), bom + " of k8s-tests/pom.xml");
        }
    }

    @Test
    void fabric8AndJunitVersionsComeFromTheBoms() throws Exception {
        Document e2e = read(Path.of("k8s-tests", "pom.xml"));
        NodeList deps = e2e.getElementsByTagName("dependency");
        List<String> pinned = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String group =
                    d.getElementsByTagName("groupId").item(0).getTextContent().strip();
            boolean managed = group.startsWith("io.fabric8") || group.startsWith("org.junit");
            if (managed && d.getElementsByTagName("version").getLength() > 0) {
                pinned.add(group + ":"
                        + d.getElementsByTagName("artifactId")
                                .item(0)
                                .getTextContent()
                                .strip());
            }
        }
        assertTrue(pinned.isEmpty(), "versions outside the BOMs: " + pinned);
    }
}
