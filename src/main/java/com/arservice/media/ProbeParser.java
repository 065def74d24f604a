package com.arservice.media;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ffprobe's answers: its JSON description of a file into a {@link VideoInfo}, and its packet
 * times into the last one. ffprobe writes many numbers as strings ("2.000000", "N/A"); both forms
 * are read, anything else counts as not stated.
 */
final class ProbeParser {

  /** Jackson's streaming reader (it comes with Vert.x); thread-safe once configured. */
  private static final JsonFactory JSON = new JsonFactory();

  private ProbeParser() {}

  /**
   * Turns ffprobe's JSON into a {@link VideoInfo}; refuses files without a real video track.
   *
   * @throws IllegalArgumentException when the answer is not a JSON object
   */
  static VideoInfo parse(String json, long sizeBytes) throws MediaException {
    Map<String, Object> root = object(json);
    Map<String, Object> format = map(root.get("format"));
    List<?> streams = root.get("streams") instanceof List<?> list ? list : List.of();
    Map<String, Object> video = null;
    Map<String, Object> audio = null;
    for (Object s : streams) {
      Map<String, Object> stream = map(s);
      String type = string(stream.get("codec_type"));
      boolean coverArt = number(map(stream.get("disposition")).get("attached_pic")) == 1;
      if (video == null && "video".equals(type) && !coverArt) {
        video = stream;
      } else if (audio == null && "audio".equals(type)) {
        audio = stream;
      }
    }
    if (video == null) {
      throw MediaException.badInput("The video could not be used: the file has no video track");
    }
    String formatName = string(format.get("format_name"));
    double duration = number(format.get("duration"));
    if (Double.isNaN(duration) || duration <= 0) {
      duration = number(video.get("duration"));
    }
    boolean still =
        formatName != null && (formatName.endsWith("_pipe") || formatName.equals("image2"));
    if (still) {
      throw MediaException.badInput(
          "The video could not be used: the file is a still image, not a video");
    }
    if (duration <= 0) {
      duration = Double.NaN;
    }
    double average = rate(video, "avg_frame_rate");
    double nominal = rate(video, "r_frame_rate");
    int width = (int) number(video.get("width"));
    int height = (int) number(video.get("height"));
    if (width <= 0 || height <= 0) {
      throw MediaException.badInput("The video could not be read: its frame size is unknown");
    }
    return new VideoInfo(
        duration,
        width,
        height,
        rotation(video),
        sampleAspect(video),
        Double.isNaN(average) ? nominal : average,
        nominal,
        string(video.get("codec_name")),
        string(video.get("pix_fmt")),
        audio != null,
        audio == null ? null : string(audio.get("codec_name")),
        formatName,
        sizeBytes,
        stated(video.get("color_transfer")),
        stated(video.get("color_primaries")),
        stated(video.get("color_space")),
        stated(video.get("color_range")));
  }

  /**
   * The latest of ffprobe's packet times ({@code csv=p=0}, one per line); NaN when there is none.
   */
  static double lastPacketTime(String csv) {
    double last = Double.NaN;
    for (String line : csv.split("\\R")) {
      double t = number(line.split(",")[0]);
      if (!Double.isNaN(t) && (Double.isNaN(last) || t > last)) {
        last = t;
      }
    }
    return last;
  }

  /** The JSON object with its values as maps, lists, strings, doubles and booleans. */
  private static Map<String, Object> object(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("ffprobe's answer is not a JSON object");
      }
      Map<String, Object> value = map(value(parser));
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("ffprobe's answer has more than one JSON value");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
    }
  }

  private static Object value(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          parser.nextToken();
          object.put(key, value(parser));
        }
        yield object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser));
        }
        yield array;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> null;
    };
  }

  /**
   * Clockwise display rotation from the display matrix (counter-clockwise degrees) or the older
   * rotate tag.
   */
  private static int rotation(Map<String, Object> video) {
    double degrees = Double.NaN;
    if (video.get("side_data_list") instanceof List<?> sideData) {
      for (Object entry : sideData) {
        double r = number(map(entry).get("rotation"));
        if (!Double.isNaN(r)) {
          degrees = -r;
          break;
        }
      }
    }
    if (Double.isNaN(degrees)) {
      degrees = number(map(video.get("tags")).get("rotate"));
    }
    if (Double.isNaN(degrees)) {
      return 0;
    }
    int quarter = (int) Math.round(degrees / 90);
    return Math.floorMod(quarter, 4) * 90;
  }

  /** A frame rate ("30000/1001"); NaN when not stated or not positive ("0/0"). */
  private static double rate(Map<String, Object> video, String key) {
    double rate = ratio(string(video.get(key)), "/");
    return rate > 0 ? rate : Double.NaN;
  }

  /** A colour property's name; {@code null} for ffprobe's "unknown" and "unspecified". */
  private static String stated(Object value) {
    String text = string(value);
    return text == null || text.equals("unknown") || text.equals("unspecified") ? null : text;
  }

  /** Pixel aspect ratio ("64:45"); 1 when not stated or not positive. */
  private static double sampleAspect(Map<String, Object> video) {
    double sar = ratio(string(video.get("sample_aspect_ratio")), ":");
    return sar > 0 ? sar : 1;
  }

  /**
   * "num{separator}den" or a bare number; NaN when unreadable or the denominator is not positive.
   */
  private static double ratio(String text, String separator) {
    if (text == null) {
      return Double.NaN;
    }
    String[] parts = text.split(separator);
    try {
      double num = Double.parseDouble(parts[0]);
      double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
      return den > 0 ? num / den : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Object value) {
    return value == null
        ? null
        : value instanceof Double d && d == Math.rint(d)
            ? String.valueOf(d.longValue())
            : value.toString();
  }

  private static double number(Object value) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }
}
