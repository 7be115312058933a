import { InitialSchema1764320000000 } from './migrations/1764320000000-initial-schema';
import { PostFlags1764400000000 } from './migrations/1764400000000-post-flags';
import { ThreadPostsRevision1764500000000 } from './migrations/1764500000000-thread-posts-revision';
import { DropPostsAuthorIndex1764600000000 } from './migrations/1764600000000-drop-posts-author-index';
import { UserTokenVersion1764700000000 } from './migrations/1764700000000-user-token-version';
import { Revisions1764710000000 } from './migrations/1764710000000-revisions';
import { FollowUp1764720000000 } from './migrations/1764720000000-follow-up';
import { SearchIndex1764730000000 } from './migrations/1764730000000-search-index';
import { Attachments1764740000000 } from './migrations/1764740000000-attachments';
import { CookedMarkdown1764750000000 } from './migrations/1764750000000-cooked-markdown';
import { SessionRecords1764760000000 } from './migrations/1764760000000-session-records';
import { MailAndCalendar1764780000000 } from './migrations/1764780000000-mail-and-calendar';
import { CoalescedWatchedNotifications1764790000000 } from './migrations/1764790000000-coalesced-watched-notifications';
import { SearchTitleIndex1764800000000 } from './migrations/1764800000000-search-title-index';
import { HandleAliases1764805000000 } from './migrations/1764805000000-handle-aliases';
import { SignInFailures1764806000000 } from './migrations/1764806000000-sign-in-failures';
import { SearchGinFastupdateOff1764810000000 } from './migrations/1764810000000-search-gin-fastupdate-off';
import { SearchXPlurals1764820000000 } from './migrations/1764820000000-search-x-plurals';
import { WatchedNotificationTrigger1764830000000 } from './migrations/1764830000000-watched-notification-trigger';

/** Every migration, in order; listed explicitly so the build and the tests load the same set. */
export const MIGRATIONS = [
  InitialSchema1764320000000,
  PostFlags1764400000000,
  ThreadPostsRevision1764500000000,
  DropPostsAuthorIndex1764600000000,
  UserTokenVersion1764700000000,
  Revisions1764710000000,
  FollowUp1764720000000,
  SearchIndex1764730000000,
  Attachments1764740000000,
  CookedMarkdown1764750000000,
  SessionRecords1764760000000,
  MailAndCalendar1764780000000,
  CoalescedWatchedNotifications1764790000000,
  SearchTitleIndex1764800000000,
  HandleAliases1764805000000,
  SignInFailures1764806000000,
  SearchGinFastupdateOff1764810000000,
  SearchXPlurals1764820000000,
  WatchedNotificationTrigger1764830000000,
];
