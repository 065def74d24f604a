package com.arservice.mind;

import com.arservice.mind.detect.GreyImage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TrackingExtractorTest {

    /** tracking.json: synthetic textured images and the points MindAR 1.2.5's extract() chose on them. */
    @Test
    void choosesTheSamePointsAsMindArOnSyntheticImages() throws Exception {
        Map<?, ?> fixture = (Map<?, ?>) TestJson.resource("/mind/tracking.json");
        for (Object o : (List<?>) fixture.get("cases")) {
            Map<?, ?> c = (Map<?, ?>) o;
            int w = (int) (double) (Double) c.get("width");
            int h = (int) (double) (Double) c.get("height");
            GreyImage img = new GreyImage(Base64.getDecoder().decode((String) c.get("data")), w, h);
            List<TrackingImage.Point> expected = new ArrayList<>();
            for (Object p : (List<?>) c.get("points")) {
                List<?> xy = (List<?>) p;
                expected.add(new TrackingImage.Point((int) (double) (Double) xy.get(0), (int) (double) (Double) xy.get(1)));
            }
            assertFalse(expected.isEmpty());
            assertEquals(expected, TrackingExtractor.extractPoints(img), w + "x" + h);
        }
    }

    /** med.mind was compiled by MindAR from med.png; its first tracking image is the photo at scale 1. */
    @Test
    void choosesTheSamePointsAsMindArsCompilerOnAPhoto() throws Exception {
        TrackingImage ref = MindFile.read(TestJson.bytes("/mind/med.mind")).get(0).trackingData().get(0);
        assertEquals(1.0, ref.scale());
        GreyImage img = new GreyImage(ref.data(), ref.width(), ref.height());
        assertEquals(ref.points(), TrackingExtractor.extractPoints(img));
    }

    @Test
    void findsNoPointsOnAFlatImage() {
        assertEquals(List.of(), TrackingExtractor.extractPoints(new GreyImage(new byte[200 * 150], 200, 150)));
    }
}
