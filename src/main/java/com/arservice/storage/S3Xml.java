package com.arservice.storage;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The few S3 XML answers the store reads (listings, upload ids, errors), with the JDK's parser. */
final class S3Xml {
  private static final DocumentBuilderFactory FACTORY = factory();

  private S3Xml() {}

  /** The root element of an answer; DTDs and external entities are refused. */
  static Element parse(Buffer xml) throws IOException {
    try {
      return FACTORY
          .newDocumentBuilder()
          .parse(new ByteArrayInputStream(xml.getBytes()))
          .getDocumentElement();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("The S3 server's answer is not XML: " + e.getMessage(), e);
    }
  }

  /** The text of the first child element {@code name} of {@code parent}, or null. */
  static String text(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && name.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
        return e.getTextContent();
      }
    }
    return null;
  }

  /** The child elements {@code name} of {@code parent}. */
  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e
          && name.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Escapes text for an element's content. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static DocumentBuilderFactory factory() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      return f;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
