package com.arservice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.arservice.common.ServiceException;
import com.arservice.imageio.FileType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UploadKindTest {

  @Test
  void heicAndAvifAreStoredAsImagesNotAsVideos() {
    assertEquals("image", UploadRoutes.kind(Optional.of(FileType.HEIC)).media);
    assertEquals("heic", UploadRoutes.kind(Optional.of(FileType.HEIC)).extension);
    assertEquals("image/avif", UploadRoutes.kind(Optional.of(FileType.AVIF)).contentType);
    assertEquals("image", UploadRoutes.kind(Optional.of(FileType.WEBP)).media);
    assertEquals("image", UploadRoutes.kind(Optional.of(FileType.TIFF)).media);
    assertEquals("video", UploadRoutes.kind(Optional.of(FileType.MP4)).media);
  }

  @Test
  void anAudioFileIsRefusedAsHavingNoPicture() {
    ServiceException e =
        assertThrows(ServiceException.class, () -> UploadRoutes.kind(Optional.of(FileType.M4A)));
    assertEquals(ServiceException.Code.BAD_REQUEST, e.code());
    assertEquals(
        "The file is M4A audio and has no picture: upload a photo or a video", e.getMessage());
  }

  @Test
  void otherFilesAreRefusedNamingWhatIsAccepted() {
    assertThrows(ServiceException.class, () -> UploadRoutes.kind(Optional.of(FileType.GIF)));
    assertThrows(ServiceException.class, () -> UploadRoutes.kind(Optional.empty()));
  }
}
