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
    ViewerPage fromCdn =
        new ViewerPage(
            "https://cdn.example/npm/aframe@1.5.0/dist/aframe-v1.5.0.min.js",
            "https://cdn.example/npm/mind-ar@1.2.5/dist/mindar-image-aframe.prod.js",
            "",
            true);
    assertEquals(List.of("https://cdn.example"), fromCdn.scriptOrigins());
    ViewerPage bundled =
        new ViewerPage(
            "/vendor/aframe@1.5.0/dist/aframe-v1.5.0.min.js",
            "/vendor/mind-ar@1.2.5/dist/mindar-image-aframe.prod.js",
            "",
            true);
    assertEquals(List.of(), bundled.scriptOrigins());
    ViewerPage staticCopy =
        new ViewerPage(
            "/vendor/aframe@1.5.0/dist/aframe-v1.5.0.min.js",
            "/vendor/mind-ar@1.2.5/dist/mindar-image-aframe.prod.js",
            "https://ar.shop.example:8443",
            true);
    assertEquals(List.of("https://ar.shop.example:8443"), staticCopy.scriptOrigins());
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
  void theLibrariesComeFromVendorWhenTheBuildBundledThemElseFromTheCdnBase() {
    boolean bundled =
        ViewerPage.class
                .getClassLoader()
                .getResource("webroot/vendor/aframe@1.5.0/dist/aframe-v1.5.0.min.js")
            != null;
    String base = bundled ? "/vendor" : "https://cdn.example/npm";
    assertEquals(base + "/aframe@1.5.0/dist/aframe-v1.5.0.min.js", page.aframeUrl());
    assertEquals(base + "/mind-ar@1.2.5/dist/mindar-image-aframe.prod.js", page.mindarUrl());
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
