package com.arservice.pipeline;

import com.arservice.common.Addresses;
import com.arservice.common.LocalCodecs;
import com.arservice.common.QualityCheck;
import com.arservice.common.ServiceException;
import com.arservice.common.ServiceException.Code;
import com.arservice.imageio.ImageInputException;
import com.arservice.media.MediaException;
import com.arservice.media.PhotoNormalizer;
import com.arservice.mind.detect.GreyImage;
import com.arservice.mind.io.ImageLoader;
import com.arservice.mind.quality.QualityAnalyzer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Answers {@link Addresses#QUALITY_CHECK}: normalizes the photo as the compile pipeline's photo
 * step does (orientation, at most 1024 px), then reports on it with {@link QualityAnalyzer}. Deploy
 * it as a worker: a report takes about a second of one core.
 */
public final class QualityVerticle extends VerticleBase {

  private final PhotoNormalizer photos;
  private final QualityAnalyzer analyzer = new QualityAnalyzer();

  /**
   * @param photos the compile pipeline's photo step (with the configured HEIC/AVIF decoder)
   */
  public QualityVerticle(PhotoNormalizer photos) {
    this.photos = photos;
  }

  @Override
  public Future<?> start() {
    LocalCodecs.register(vertx);
    return vertx
        .eventBus()
        .<QualityCheck>consumer(Addresses.QUALITY_CHECK, this::check)
        .completion();
  }

  private void check(Message<QualityCheck> message) {
    try {
      message.reply(new QualityCheck.Report(report(message.body().photo())));
    } catch (RuntimeException | IOException e) {
      ServiceException.fail(message, e);
    }
  }

  private String report(Path photo) throws IOException {
    Path normalized = Files.createTempFile("ar-quality-", ".jpg");
    try {
      photos.normalize(photo, normalized);
      GreyImage grey = new ImageLoader().load(normalized);
      return analyzer.analyze(grey, false).toJson();
    } catch (MediaException | ImageInputException e) {
      throw new ServiceException(Code.BAD_REQUEST, "photo: " + e.getMessage());
    } finally {
      Files.deleteIfExists(normalized);
    }
  }
}
