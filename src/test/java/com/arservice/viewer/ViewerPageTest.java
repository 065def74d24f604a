package com.arservice.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ViewerPageTest {
  private static final String HOSTILE = "</script><script>alert(1)</script><!--";
  private final ViewerPage page = ViewerPage.create(URI.create("https://cdn.example/npm/"));

  private static JsonObject data() {
    return new JsonObject()
        .put("projectId", "p1")
        .put("viewUrl", "https://shop.example/ar/view/p1")
        .put("markerUrl", "/objects/ar-storage/p1/marker.mind")
        .put("config", new JsonObject().put("fitMode", "cover").put("note", HOSTILE))
        .put(
            "targets",
            new JsonArray().add(new JsonObject().put("photoWidth", 800).put("photoHeight", 640)));
  }

  private static String script(String html, String id) {
    Matcher m =
        Pattern.compile(
                "<script type=\"application/json\" id=\"" + id + "\">(.*?)</script>",
                Pattern.DOTALL)
            .matcher(html);
    assertTrue(m.find(), id);
    return m.group(1);
  }

  @Test
  void theCdnIsAScriptOriginOnlyWhileTheLibrariesComeFromIt() {
    JsonObject cdn = ViewerPage.cdnImportMap(URI.create("https://cdn.example/npm/"));
    JsonObject none = new JsonObject().put("imports", new JsonObject());
    assertEquals(
        List.of("https://cdn.example"), new ViewerPage(false, cdn, "", true).scriptOrigins());
    assertEquals(List.of(), new ViewerPage(true, none, "", true).scriptOrigins());
    assertEquals(
        List.of("https://ar.shop.example:8443"),
        new ViewerPage(true, none, "https://ar.shop.example:8443", true).scriptOrigins());
  }

  @Test
  void unbundledThePageImportsThePinnedLibrariesFromTheCdnAsModules() {
    JsonObject cdn = ViewerPage.cdnImportMap(URI.create("https://cdn.example/npm/"));
    assertEquals(
        new JsonObject()
            .put("three", "https://cdn.example/npm/three@0.160.1/build/three.module.js")
            .put("three/addons/", "https://cdn.example/npm/three@0.160.1/examples/jsm/")
            .put("mind-ar/", "https://cdn.example/npm/mind-ar@1.2.5/"),
        cdn.getJsonObject("imports"));
    String html = new ViewerPage(false, cdn, "", true).render("en", data());
    assertTrue(html.contains("<script type=\"importmap\">" + cdn.encode() + "</script>"), html);
    assertTrue(html.contains("<script type=\"module\" src=\"/viewer/viewer.js?v="), html);
  }

  @Test
  void theProjectDataGoesInAsJsonThatNoStringCanBreakOutOf() {
    String html = page.render("en", data());
    assertFalse(html.contains(HOSTILE));
    assertEquals(data(), new JsonObject(script(html, "ar-data")));
  }

  @Test
  void theServiceSendsTheTextsOfOneLanguageAndTheStaticCopyCarriesBoth() {
    String ru = page.render("ru", data());
    assertTrue(ru.contains("<html lang=\"ru\">"));
    assertEquals(Set.of("ru"), new JsonObject(script(ru, "ar-texts")).fieldNames());
    assertTrue(ru.contains("<title>Ваше фото оживает</title>"));
    String both = page.render(null, data());
    assertTrue(both.contains("<html lang=\"\">"), "the browser picks the language");
    assertEquals(Set.of("en", "ru"), new JsonObject(script(both, "ar-texts")).fieldNames());
  }

  @Test
  void everyTextExistsInBothLanguages() {
    JsonObject texts = new JsonObject(script(page.render(null, data()), "ar-texts"));
    assertEquals(texts.getJsonObject("en").fieldNames(), texts.getJsonObject("ru").fieldNames());
  }

  @Test
  void theBuildsBundleIsTheViewersOneScriptWithAnEmptyImportMap() {
    assertTrue(page.bundled(), "the build bundled the viewer (Node.js is a test requirement)");
    String html = page.render("en", data());
    assertTrue(html.contains("<script type=\"importmap\">{\"imports\":{}}</script>"), html);
    assertTrue(
        html.contains("<script type=\"text/javascript\" src=\"/viewer/viewer.bundle.js?v="), html);
    assertEquals(1, html.split("<script [^>]*src=\"/vendor/", -1).length, "nothing else loads");
  }

  @Test
  void thePageReportsToItsProjectsEventsAddressUnlessAnalyticsAreOff() {
    String events = "<meta name=\"ar-events\" content=\"/ar/view/p1/events\">";
    assertTrue(page.render("en", data()).contains(events));
    assertTrue(page.render("en", data()).contains("<script src=\"/viewer/analytics.js?v="));
    ViewerPage off =
        ViewerPage.create(URI.create("https://cdn.example/npm/"), Optional.empty(), false);
    assertTrue(off.render("en", data()).contains("<meta name=\"ar-events\" content=\"\">"));
    ViewerPage fromBucket =
        ViewerPage.create(
            URI.create("https://cdn.example/npm/"),
            Optional.of(URI.create("https://ar.shop.example/")),
            true);
    assertEquals(List.of("https://ar.shop.example"), fromBucket.reportOrigins());
    assertEquals(List.of(), off.reportOrigins());
  }
}
