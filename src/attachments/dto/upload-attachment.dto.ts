import { IsFreeTextField } from '../../common/validation/validation';
import { ALT_MAX } from '../upload.interceptor';

/** The text field of an upload's multipart form (the file itself is `request.file`). */
export class UploadAttachmentDto {
  @IsFreeTextField({ max: ALT_MAX, optional: true, description: 'The alternative text of an image, read aloud by screen readers' })
  alt?: string;
}
