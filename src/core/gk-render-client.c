/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkRender"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gk-helper-spawn.h"
#include "gk-render-client.h"
#include "gk-render-protocol.h"
#include "gk-render-server.h"
#include "gk-types.h"
#include "gk-util.h"

/* Starts of the reader for one document: the first and three restarts. */
#define MAX_STARTS             4
#define DEFAULT_TIMEOUT        30
/* Descriptors one recvmsg() may bring (one per IMAGE; one is in flight). */
#define MAX_FDS_PER_READ       4

typedef enum
{
  REQUEST_RENDER,
  REQUEST_FIND,
  REQUEST_LOCATE,
} RequestKind;

typedef struct
{
  RequestKind       kind;
  int               priority;
  guint64           sequence;
  guint32           id;
  GTask            *task;

  /* render */
  guint             page;
  double            scale;

  /* find */
  char             *text;
  guint             next_page;
  GArray           *matches;
  GkRenderFindFunc  found;
  gpointer          found_data;

  /* locate */
  GArray           *spans;
} Request;

struct _GkRenderClient
{
  GObject        parent_instance;

  char          *path;
  char          *password;
  GMainContext  *context;
  guint          timeout_seconds;

  guint          n_pages;
  double        *widths;
  double        *heights;

  /* The reader: a helper process, or a server thread in process. */
  int            fd;
  GSource       *in_source;
  GSource       *out_source;
  GSource       *timeout_source;
  GByteArray    *inbuf;
  GByteArray    *outbuf;
  GQueue         fds;             /* received descriptors (GINT_TO_POINTER) */
  GSubprocess   *process;
  GThread       *thread;
  gboolean       in_process;
  gboolean       opened;          /* this reader answered OPEN */
  gboolean       timed_out;
  gboolean       waiting_exit;    /* the reader is gone; how it ended is not known yet */
  guint32        open_id;
  guint          n_starts;
  guint          generation;      /* one more each time a reader's I/O is dropped */

  GTask         *open_task;       /* until the first OPEN is answered */
  GQueue         queue;           /* Request*, most urgent first */
  Request       *current;         /* in the reader */
  guint32        next_id;
  guint64        next_sequence;
  GHashTable    *failed_pages;    /* page → message: never tried again */
  gboolean       closed;
};

G_DEFINE_FINAL_TYPE (GkRenderClient, gk_render_client, G_TYPE_OBJECT)

/* Every client not yet closed (main thread only), for close_all(). */
static GPtrArray *live_clients;

static void pump (GkRenderClient *self);
static void reader_gone (GkRenderClient *self);

/* Requests */

static void
request_free (Request *request)
{
  g_clear_object (&request->task);
  g_free (request->text);
  g_clear_pointer (&request->matches, g_array_unref);
  g_clear_pointer (&request->spans, g_array_unref);
  g_free (request);
}

static int
compare_requests (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const Request *x = a;
  const Request *y = b;

  if (x->priority != y->priority)
    return x->priority < y->priority ? -1 : 1;
  if (x->sequence != y->sequence)
    return x->sequence < y->sequence ? -1 : 1;
  return 0;
}

static void
fail_request (Request *request,
              GError  *error)
{
  g_task_return_error (request->task, error);
  request_free (request);
}

typedef struct
{
  GList  *requests;
  GError *error;
} LateFailure;

static gboolean
fail_late_cb (gpointer data)
{
  LateFailure *late = data;

  for (GList *l = late->requests; l != NULL; l = l->next)
    fail_request (l->data, g_error_copy (late->error));
  g_list_free (g_steal_pointer (&late->requests));
  return G_SOURCE_REMOVE;
}

static void
late_failure_free (LateFailure *late)
{
  g_list_free_full (late->requests, (GDestroyNotify) request_free);
  g_clear_error (&late->error);
  g_free (late);
}

/* Answers outside the caller's stack: close() runs from dispose handlers
 * that must not see their callbacks run under them. */
static void
fail_requests_later (GkRenderClient *self,
                     GList          *requests,
                     GError         *error)
{
  LateFailure *late;

  if (requests == NULL)
    {
      g_error_free (error);
      return;
    }
  late = g_new0 (LateFailure, 1);
  late->requests = requests;
  late->error = error;
  gk_main_context_dispatch (self->context, G_PRIORITY_DEFAULT, fail_late_cb, late,
                            (GDestroyNotify) late_failure_free);
}

static void
enqueue (GkRenderClient *self,
         Request        *request)
{
  GList *l, *next;

  /* Requests cancelled while queued (pages scrolled away) answer now and
   * are never sent. */
  for (l = self->queue.head; l != NULL; l = next)
    {
      Request *queued = l->data;

      next = l->next;
      if (g_cancellable_is_cancelled (g_task_get_cancellable (queued->task)))
        {
          g_queue_delete_link (&self->queue, l);
          fail_requests_later (self, g_list_prepend (NULL, queued),
                               g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
        }
    }
  g_queue_insert_sorted (&self->queue, request, compare_requests, NULL);
  pump (self);
}

static Request *
request_new (GkRenderClient      *self,
             RequestKind          kind,
             int                  priority,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  Request *request = g_new0 (Request, 1);

  request->kind = kind;
  request->priority = priority;
  request->sequence = self->next_sequence++;
  request->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (request->task, source_tag);
  return request;
}

/* Talking to the reader */

static void
flush_out (GkRenderClient *self);

static gboolean
on_writable_cb (int           fd,
                GIOCondition  condition,
                gpointer      user_data)
{
  GkRenderClient *self = user_data;

  g_clear_pointer (&self->out_source, g_source_unref);
  flush_out (self);
  return G_SOURCE_REMOVE;
}

static void
flush_out (GkRenderClient *self)
{
  while (self->fd >= 0 && self->outbuf->len > 0)
    {
      ssize_t n = send (self->fd, self->outbuf->data, self->outbuf->len, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n > 0)
        {
          g_byte_array_remove_range (self->outbuf, 0, (guint) n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          if (self->out_source == NULL)
            {
              self->out_source = g_unix_fd_source_new (self->fd, G_IO_OUT);
              g_source_set_callback (self->out_source, G_SOURCE_FUNC (on_writable_cb), self, NULL);
              g_source_attach (self->out_source, self->context);
            }
          return;
        }
      /* The reader is gone: reading tells how. */
      g_byte_array_set_size (self->outbuf, 0);
      return;
    }
}

static void
queue_message (GkRenderClient *self,
               guint32         type,
               guint32         id,
               const void     *payload,
               gsize           length)
{
  GkRenderHeader header = { type, id, (guint32) length, 0 };

  g_byte_array_append (self->outbuf, (const guint8 *) &header, sizeof header);
  if (length > 0)
    g_byte_array_append (self->outbuf, payload, (guint) length);
  flush_out (self);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  GkRenderClient *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  self->timed_out = TRUE;
  /* The end of the socket follows, and reader_gone() tells the caller. */
  if (self->process != NULL)
    g_subprocess_force_exit (self->process);
  return G_SOURCE_REMOVE;
}

static void
arm_timeout (GkRenderClient *self)
{
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  /* A thread cannot be stopped: in process, requests take what they take. */
  if (self->in_process)
    return;
  self->timeout_source = g_timeout_source_new_seconds (self->timeout_seconds);
  g_source_set_callback (self->timeout_source, on_timeout_cb, self, NULL);
  g_source_attach (self->timeout_source, self->context);
}

static void
disarm_timeout (GkRenderClient *self)
{
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
}

static void
send_request (GkRenderClient *self,
              Request        *request)
{
  request->id = ++self->next_id;
  self->current = request;
  switch (request->kind)
    {
    case REQUEST_RENDER:
      {
        GkRenderPageRequest page = { request->page, 0, request->scale };

        queue_message (self, GK_RENDER_PAGE, request->id, &page, sizeof page);
      }
      break;
    case REQUEST_FIND:
      {
        gsize length = strlen (request->text);
        g_autofree char *payload = g_malloc (sizeof (GkRenderFindRequest) + length);
        GkRenderFindRequest find = { request->next_page, GK_RENDER_FIND_CHUNK, request->matches->len, 0 };

        memcpy (payload, &find, sizeof find);
        memcpy (payload + sizeof find, request->text, length);
        queue_message (self, GK_RENDER_FIND, request->id, payload, sizeof find + length);
      }
      break;
    case REQUEST_LOCATE:
      queue_message (self, GK_RENDER_LOCATE, request->id, request->spans->data,
                     request->spans->len * sizeof (GkPdfSpan));
      break;
    default:
      g_assert_not_reached ();
    }
  arm_timeout (self);
}

static gpointer
server_thread (gpointer data)
{
  int fd = GPOINTER_TO_INT (data);

  gk_render_server_run (fd, FALSE);
  close (fd);
  return NULL;
}

static gboolean on_readable_cb (int fd, GIOCondition condition, gpointer user_data);

static gboolean
start_reader (GkRenderClient  *self,
              GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  int sv[2];
  gsize path_length = strlen (self->path);
  gsize password_length = self->password ? strlen (self->password) : 0;
  g_autofree char *payload = NULL;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    {
      g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                   _("The PDF reader could not be started (%s); try again."), g_strerror (errno));
      return FALSE;
    }

  if (self->in_process)
    self->thread = g_thread_new ("gk-render", server_thread, GINT_TO_POINTER (sv[1]));
  else
    {
      g_autofree char *helper = gk_helper_find ("gongkai-render", "GONGKAI_RENDER_HELPER");
      /* Each request re-arms the soft CPU limit in the helper; the hard one
       * stays open so that it can. */
      GkHelperLimits limits = { GK_HELPER_MEMORY_LIMIT, DEFAULT_TIMEOUT + 1, RLIM_INFINITY };

      if (helper == NULL)
        {
          close (sv[0]);
          close (sv[1]);
          g_set_error_literal (error, GK_ERROR, GK_ERROR_FAILED,
                               _("The page reader (gongkai-render) is missing from this installation; "
                                 "reinstall Gongkai Desk."));
          return FALSE;
        }
      self->process = gk_helper_spawn (helper, &limits, sv[1], 3, &local_error);
      if (self->process == NULL)
        {
          close (sv[0]);
          g_set_error (error, GK_ERROR, GK_ERROR_FAILED,
                       _("The PDF reader could not be started (%s); try again."), local_error->message);
          return FALSE;
        }
    }

  self->fd = sv[0];
  g_unix_set_fd_nonblocking (self->fd, TRUE, NULL);
  self->in_source = g_unix_fd_source_new (self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->in_source, G_SOURCE_FUNC (on_readable_cb), self, NULL);
  g_source_attach (self->in_source, self->context);
  self->n_starts++;
  self->opened = FALSE;
  self->timed_out = FALSE;

  /* The password goes through the socket, never the command line. */
  payload = g_malloc0 (path_length + password_length + 2);
  memcpy (payload, self->path, path_length);
  if (password_length > 0)
    memcpy (payload + path_length + 1, self->password, password_length);
  self->open_id = ++self->next_id;
  queue_message (self, GK_RENDER_OPEN, self->open_id, payload, path_length + password_length + 2);
  memset (payload, 0, path_length + password_length + 2);
  arm_timeout (self);
  return TRUE;
}

/* Replies */

typedef struct
{
  void  *data;
  gsize  size;
} Mapping;

static void
unmap (gpointer data)
{
  Mapping *mapping = data;

  munmap (mapping->data, mapping->size);
  g_free (mapping);
}

/* The helper is not trusted: the memfd must be sealed against shrinking
 * (a SIGBUS here) and writing, and large enough for what it claims. */
static GkRenderImage *
map_image (const GkRenderImageReply *reply,
           int                       fd)
{
  GkRenderImage *image;
  Mapping *mapping;
  struct stat st;
  gsize size;
  int seals;
  void *data;

  if (reply->width == 0 || reply->height == 0 || reply->width > GK_RENDER_MAX_SIDE ||
      reply->height > GK_RENDER_MAX_SIDE || reply->stride < reply->width * 4 ||
      reply->stride % 4 != 0 || reply->stride > reply->width * 4 + 64)
    return NULL;
  size = (gsize) reply->stride * reply->height;
  seals = fcntl (fd, F_GET_SEALS);
  if (seals < 0 || (seals & (F_SEAL_SHRINK | F_SEAL_WRITE)) != (F_SEAL_SHRINK | F_SEAL_WRITE))
    return NULL;
  if (fstat (fd, &st) != 0 || st.st_size < 0 || (gsize) st.st_size < size)
    return NULL;
  data = mmap (NULL, size, PROT_READ, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED)
    return NULL;

  mapping = g_new0 (Mapping, 1);
  mapping->data = data;
  mapping->size = size;
  image = g_new0 (GkRenderImage, 1);
  image->width = reply->width;
  image->height = reply->height;
  image->stride = reply->stride;
  image->pixels = g_bytes_new_with_free_func (data, size, unmap, mapping);
  return image;
}

static void
handle_opened (GkRenderClient *self,
               const guint8   *payload,
               gsize           length)
{
  guint32 n_pages;

  if (length < sizeof n_pages)
    goto bad;
  memcpy (&n_pages, payload, sizeof n_pages);
  if (length != sizeof n_pages + (gsize) n_pages * 2 * sizeof (double))
    goto bad;

  if (self->open_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

      if (n_pages == 0)
        {
          g_task_return_new_error (task, GK_ERROR, GK_ERROR_DAMAGED, "%s", _("The PDF has no pages"));
          return;
        }
      self->n_pages = n_pages;
      self->widths = g_new0 (double, n_pages);
      self->heights = g_new0 (double, n_pages);
      for (guint32 i = 0; i < n_pages; i++)
        {
          double size[2];

          memcpy (size, payload + sizeof n_pages + i * sizeof size, sizeof size);
          self->widths[i] = size[0];
          self->heights[i] = size[1];
        }
      self->opened = TRUE;
      g_task_return_pointer (task, g_object_ref (self), g_object_unref);
      return;
    }

  /* A restarted reader must see the document the window lays out. */
  if (n_pages != self->n_pages)
    goto bad;
  self->opened = TRUE;
  return;

bad:
  reader_gone (self);
}

static char *
error_message (const guint8 *payload,
               gsize         length,
               int          *code)
{
  gint32 code32 = GK_ERROR_DAMAGED;

  if (length >= sizeof code32)
    memcpy (&code32, payload, sizeof code32);
  *code = code32;
  if (length <= sizeof code32)
    return g_strdup ("");
  return g_utf8_make_valid ((const char *) payload + sizeof code32, (gssize) (length - sizeof code32));
}

static void
handle_open_error (GkRenderClient *self,
                   const guint8   *payload,
                   gsize           length)
{
  g_autofree char *message = NULL;
  int code;

  message = error_message (payload, length, &code);
  if (self->open_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

      if (code != GK_ERROR_PASSWORD)
        code = GK_ERROR_DAMAGED;
      g_task_return_new_error (task, GK_ERROR, code, "%s", message);
      return;
    }
  /* It opened before and does not now: treat it as a broken reader. */
  reader_gone (self);
}

static void
finish_request (GkRenderClient *self,
                const GkRenderHeader *header,
                const guint8   *payload)
{
  Request *request = g_steal_pointer (&self->current);
  GCancellable *cancellable = g_task_get_cancellable (request->task);

  if (header->type == GK_RENDER_ERROR)
    {
      g_autofree char *message = NULL;
      int code;

      message = error_message (payload, header->length, &code);
      if (request->kind == REQUEST_RENDER)
        g_hash_table_insert (self->failed_pages, GUINT_TO_POINTER (request->page), g_strdup (message));
      fail_request (request, g_error_new_literal (GK_ERROR, GK_ERROR_DAMAGED, message));
      return;
    }

  switch (request->kind)
    {
    case REQUEST_RENDER:
      {
        GkRenderImageReply reply;
        GkRenderImage *image = NULL;
        int fd = GPOINTER_TO_INT (g_queue_pop_head (&self->fds)) - 1;

        if (header->type == GK_RENDER_IMAGE && header->length == sizeof reply && fd >= 0)
          {
            memcpy (&reply, payload, sizeof reply);
            image = map_image (&reply, fd);
          }
        if (fd >= 0)
          close (fd);
        if (image == NULL)
          {
            fail_request (request, g_error_new (GK_ERROR, GK_ERROR_DAMAGED,
                                                _("the PDF reader gave no usable picture of page %u"),
                                                request->page + 1));
            reader_gone (self);
            return;
          }
        g_task_return_pointer (request->task, image, (GDestroyNotify) gk_render_image_free);
        request_free (request);
      }
      break;
    case REQUEST_FIND:
      {
        g_autoptr(GArray) chunk = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
        guint done;

        if (header->type != GK_RENDER_RECTS || header->length % sizeof (GkPdfRect) != 0)
          {
            fail_request (request, g_error_new_literal (GK_ERROR, GK_ERROR_DAMAGED,
                                                        _("the PDF reader gave no usable answer")));
            reader_gone (self);
            return;
          }
        g_array_append_vals (chunk, payload, header->length / sizeof (GkPdfRect));
        g_array_append_vals (request->matches, chunk->data, chunk->len);
        request->next_page += GK_RENDER_FIND_CHUNK;
        done = MIN (request->next_page, self->n_pages);
        if (request->found != NULL && !g_cancellable_is_cancelled (cancellable))
          request->found (self, chunk, done, request->found_data);
        if (done < self->n_pages && !g_cancellable_is_cancelled (cancellable) && !self->closed)
          {
            /* Back in the queue behind anything more urgent. */
            request->sequence = G_MAXUINT64 / 2 + request->next_page;
            g_queue_insert_sorted (&self->queue, request, compare_requests, NULL);
            return;
          }
        g_task_return_pointer (request->task, g_steal_pointer (&request->matches),
                               (GDestroyNotify) g_array_unref);
        request_free (request);
      }
      break;
    case REQUEST_LOCATE:
      {
        GArray *rects = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));

        if (header->type != GK_RENDER_RECTS || header->length % sizeof (GkPdfRect) != 0)
          {
            g_array_unref (rects);
            fail_request (request, g_error_new_literal (GK_ERROR, GK_ERROR_DAMAGED,
                                                        _("the PDF reader gave no usable answer")));
            reader_gone (self);
            return;
          }
        g_array_append_vals (rects, payload, header->length / sizeof (GkPdfRect));
        g_task_return_pointer (request->task, rects, (GDestroyNotify) g_array_unref);
        request_free (request);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
handle_message (GkRenderClient       *self,
                const GkRenderHeader *header,
                const guint8         *payload)
{
  if (header->id == self->open_id && !self->opened)
    {
      disarm_timeout (self);
      if (header->type == GK_RENDER_OPENED)
        handle_opened (self, payload, header->length);
      else if (header->type == GK_RENDER_ERROR)
        handle_open_error (self, payload, header->length);
      else
        reader_gone (self);
      return;
    }
  if (self->current == NULL || header->id != self->current->id)
    {
      /* Nothing else was asked: the reader is confused. */
      reader_gone (self);
      return;
    }
  disarm_timeout (self);
  finish_request (self, header, payload);
}

static gboolean
on_readable_cb (int           fd,
                GIOCondition  condition,
                gpointer      user_data)
{
  g_autoptr(GkRenderClient) self = g_object_ref (user_data);
  guint8 buffer[65536];
  union
  {
    struct cmsghdr align;
    char           buffer[CMSG_SPACE (MAX_FDS_PER_READ * sizeof (int))];
  } control;
  gboolean eof = FALSE;
  guint generation = self->generation;

  for (;;)
    {
      struct iovec iov = { buffer, sizeof buffer };
      struct msghdr message = { 0 };
      ssize_t n;

      message.msg_iov = &iov;
      message.msg_iovlen = 1;
      message.msg_control = control.buffer;
      message.msg_controllen = sizeof control.buffer;
      n = recvmsg (fd, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      if (n <= 0)
        {
          eof = TRUE;
          break;
        }
      for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&message); cmsg != NULL;
           cmsg = CMSG_NXTHDR (&message, cmsg))
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
          {
            gsize count = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);

            for (gsize i = 0; i < count; i++)
              {
                int received;

                memcpy (&received, CMSG_DATA (cmsg) + i * sizeof (int), sizeof (int));
                /* +1: descriptor 0 must not read as NULL. */
                g_queue_push_tail (&self->fds, GINT_TO_POINTER (received + 1));
              }
          }
      g_byte_array_append (self->inbuf, buffer, (guint) n);
    }

  while (self->inbuf->len >= sizeof (GkRenderHeader) && self->generation == generation)
    {
      GkRenderHeader header;
      g_autoptr(GByteArray) message = NULL;

      memcpy (&header, self->inbuf->data, sizeof header);
      if (header.length > GK_RENDER_MAX_PAYLOAD)
        {
          reader_gone (self);
          return G_SOURCE_REMOVE;
        }
      if (self->inbuf->len < sizeof header + header.length)
        break;
      message = g_byte_array_sized_new (header.length);
      g_byte_array_append (message, self->inbuf->data + sizeof header, header.length);
      g_byte_array_remove_range (self->inbuf, 0, (guint) (sizeof header + header.length));
      handle_message (self, &header, message->data);
    }

  if (self->generation != generation)
    return G_SOURCE_REMOVE;  /* reader_gone() ran, the source is destroyed */
  if (eof || (condition & (G_IO_HUP | G_IO_ERR)))
    {
      reader_gone (self);
      return G_SOURCE_REMOVE;
    }
  pump (self);
  return G_SOURCE_CONTINUE;
}

/* Losing the reader */

static char *
describe_end (GkRenderClient *self,
              gboolean        signaled,
              int             signal_number)
{
  if (self->timed_out || (signaled && signal_number == SIGXCPU))
    {
      guint seconds = self->timed_out ? self->timeout_seconds : DEFAULT_TIMEOUT;

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "it took longer than %u second and was stopped",
                                           "it took longer than %u seconds and was stopped", seconds),
                              seconds);
    }
  if (signaled && (signal_number == SIGABRT || signal_number == SIGKILL || signal_number == SIGBUS))
    return g_strdup (_("the PDF reader stopped on it: the file may be damaged, or need more memory than allowed"));
  if (signaled)
    return g_strdup (_("it made the PDF reader crash: the file may be damaged or built to attack readers"));
  return g_strdup (_("the PDF reader stopped unexpectedly"));
}

static void
reader_ended (GkRenderClient *self,
              gboolean        signaled,
              int             signal_number)
{
  g_autofree char *message = describe_end (self, signaled, signal_number);
  Request *request = g_steal_pointer (&self->current);

  self->waiting_exit = FALSE;
  if (self->open_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

      g_task_return_new_error (task, GK_ERROR, GK_ERROR_DAMAGED, "%s", message);
    }
  if (request != NULL)
    {
      /* What took the reader down is not tried again. */
      if (request->kind == REQUEST_RENDER)
        g_hash_table_insert (self->failed_pages, GUINT_TO_POINTER (request->page), g_strdup (message));
      fail_request (request, g_error_new_literal (GK_ERROR, GK_ERROR_DAMAGED, message));
    }
  if (!self->closed)
    pump (self);
}

static void
on_reader_exited_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GkRenderClient) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);

  g_subprocess_wait_finish (process, result, NULL);
  if (self->closed || !self->waiting_exit)
    return;
  reader_ended (self, g_subprocess_get_if_signaled (process),
                g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : 0);
}

static void
drop_reader_io (GkRenderClient *self)
{
  self->generation++;
  if (self->in_source != NULL)
    {
      g_source_destroy (self->in_source);
      g_clear_pointer (&self->in_source, g_source_unref);
    }
  if (self->out_source != NULL)
    {
      g_source_destroy (self->out_source);
      g_clear_pointer (&self->out_source, g_source_unref);
    }
  disarm_timeout (self);
  if (self->fd >= 0)
    {
      shutdown (self->fd, SHUT_RDWR);
      close (self->fd);
      self->fd = -1;
    }
  while (!g_queue_is_empty (&self->fds))
    close (GPOINTER_TO_INT (g_queue_pop_head (&self->fds)) - 1);
  g_byte_array_set_size (self->inbuf, 0);
  g_byte_array_set_size (self->outbuf, 0);
  self->opened = FALSE;
}

/* The reader crashed, hung (timed out), broke the protocol or closed the
 * socket: the request in it fails with the reason, once the exit status
 * is known (asynchronously: the window does not wait); the next request
 * starts a new reader, up to MAX_STARTS per document. */
static void
reader_gone (GkRenderClient *self)
{
  g_autoptr(GSubprocess) process = g_steal_pointer (&self->process);

  if (self->fd < 0)
    return;
  drop_reader_io (self);
  if (self->thread != NULL)
    {
      /* The socket is shut: the server thread ends after its request. */
      g_thread_join (g_steal_pointer (&self->thread));
      reader_ended (self, FALSE, 0);
      return;
    }
  if (process == NULL)
    {
      reader_ended (self, FALSE, 0);
      return;
    }
  /* A reader that broke the protocol may still run: it goes. */
  g_subprocess_force_exit (process);
  self->waiting_exit = TRUE;
  g_subprocess_wait_async (process, NULL, on_reader_exited_cb, g_object_ref (self));
}

/* Answers a request that needs no reader (cancelled, or a page that
 * already failed); FALSE when it must be sent. */
static gboolean
answer_without_reader (GkRenderClient *self,
                       Request        *request)
{
  const char *failed = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (request->task)))
    {
      fail_requests_later (self, g_list_prepend (NULL, request),
                           g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
      return TRUE;
    }
  if (request->kind == REQUEST_RENDER)
    failed = g_hash_table_lookup (self->failed_pages, GUINT_TO_POINTER (request->page));
  if (failed == NULL)
    return FALSE;
  fail_requests_later (self, g_list_prepend (NULL, request),
                       g_error_new_literal (GK_ERROR, GK_ERROR_DAMAGED, failed));
  return TRUE;
}

static void
fail_queue_later (GkRenderClient *self,
                  GError         *error)
{
  GList *all = self->queue.head;

  g_queue_init (&self->queue);
  fail_requests_later (self, all, error);
}

static void
pump (GkRenderClient *self)
{
  while (!self->closed && self->current == NULL && !self->waiting_exit &&
         !g_queue_is_empty (&self->queue))
    {
      g_autoptr(GError) error = NULL;

      if (answer_without_reader (self, g_queue_peek_head (&self->queue)))
        {
          g_queue_pop_head (&self->queue);
          continue;
        }
      if (self->fd < 0)
        {
          /* The next request restarts the reader, a few times at most. */
          if (self->n_starts >= MAX_STARTS)
            fail_queue_later (self, g_error_new (GK_ERROR, GK_ERROR_FAILED,
                                                 _("the PDF reader stopped %u times on this document"),
                                                 self->n_starts));
          else if (!start_reader (self, &error))
            fail_queue_later (self, g_steal_pointer (&error));
          return;
        }
      if (!self->opened)
        return;
      send_request (self, g_queue_pop_head (&self->queue));
    }
}

/* GObject */

static void
gk_render_client_finalize (GObject *object)
{
  GkRenderClient *self = GK_RENDER_CLIENT (object);

  gk_render_client_close (self);
  g_clear_pointer (&self->inbuf, g_byte_array_unref);
  g_clear_pointer (&self->outbuf, g_byte_array_unref);
  g_clear_pointer (&self->failed_pages, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->path);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->widths);
  g_free (self->heights);

  G_OBJECT_CLASS (gk_render_client_parent_class)->finalize (object);
}

static void
gk_render_client_class_init (GkRenderClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gk_render_client_finalize;
}

static void
gk_render_client_init (GkRenderClient *self)
{
  self->fd = -1;
  self->timeout_seconds = DEFAULT_TIMEOUT;
  self->inbuf = g_byte_array_new ();
  self->outbuf = g_byte_array_new ();
  self->failed_pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_queue_init (&self->queue);
  g_queue_init (&self->fds);
}

/* Public API */

/**
 * gk_render_image_free:
 * @image: (nullable): a rendered page
 */
void
gk_render_image_free (GkRenderImage *image)
{
  if (image == NULL)
    return;
  g_bytes_unref (image->pixels);
  g_free (image);
}

/**
 * gk_render_client_open_async:
 * @path: a PDF file
 * @password: (nullable): its password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Starts a reader for @path and reads every page size (cheap even for
 * hundreds of pages: nothing is rendered).
 */
void
gk_render_client_open_async (const char          *path,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GkRenderClient) self = NULL;
  g_autoptr(GError) error = NULL;
  GTask *task;

  g_return_if_fail (path != NULL);

  self = g_object_new (GK_TYPE_RENDER_CLIENT, NULL);
  self->path = g_strdup (path);
  self->password = g_strdup (password);
  self->context = g_main_context_ref_thread_default ();
  self->in_process = g_strcmp0 (g_getenv ("GONGKAI_RENDER_IN_PROCESS"), "1") == 0 ||
                     g_strcmp0 (g_getenv ("GONGKAI_EXTRACT_IN_PROCESS"), "1") == 0;
  if (live_clients == NULL)
    live_clients = g_ptr_array_new ();
  g_ptr_array_add (live_clients, self);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_render_client_open_async);
  /* The task keeps the client alive until the reader answers. */
  g_task_set_task_data (task, g_object_ref (self), g_object_unref);
  self->open_task = task;
  if (!start_reader (self, &error))
    {
      g_autoptr(GTask) failed = g_steal_pointer (&self->open_task);

      g_task_return_error (failed, g_steal_pointer (&error));
    }
}

/**
 * gk_render_client_open_finish:
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the open document, or %NULL with @error set
 */
GkRenderClient *
gk_render_client_open_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_render_client_get_path:
 * @self: a document
 *
 * Returns: the file the document was opened from
 */
const char *
gk_render_client_get_path (GkRenderClient *self)
{
  g_return_val_if_fail (GK_IS_RENDER_CLIENT (self), NULL);

  return self->path;
}

/**
 * gk_render_client_get_n_pages:
 * @self: a document
 *
 * Returns: the number of pages
 */
guint
gk_render_client_get_n_pages (GkRenderClient *self)
{
  g_return_val_if_fail (GK_IS_RENDER_CLIENT (self), 0);

  return self->n_pages;
}

/**
 * gk_render_client_get_page_size:
 * @self: a document
 * @page: 0-based page number
 * @width: (out): width in points
 * @height: (out): height in points
 *
 * The sizes read at open; 0 × 0 for a page out of range.
 */
void
gk_render_client_get_page_size (GkRenderClient *self,
                                guint           page,
                                double         *width,
                                double         *height)
{
  g_return_if_fail (GK_IS_RENDER_CLIENT (self));

  *width = page < self->n_pages ? self->widths[page] : 0;
  *height = page < self->n_pages ? self->heights[page] : 0;
}

static gboolean
refuse_if_closed (GkRenderClient      *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag)
{
  if (!self->closed)
    return FALSE;
  g_task_report_new_error (self, callback, user_data, source_tag, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           "The document was closed");
  return TRUE;
}

/**
 * gk_render_client_render_async:
 * @self: a document
 * @page: 0-based page number
 * @scale: device pixels per point
 * @priority: where the request goes in the queue
 * @cancellable: (nullable): cancel when the page scrolled away; a request
 *   cancelled before it reached the reader is never sent
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Renders a page on white, at most 8192 pixels on a side.
 */
void
gk_render_client_render_async (GkRenderClient      *self,
                               guint                page,
                               double               scale,
                               GkPdfPriority        priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Request *request;

  g_return_if_fail (GK_IS_RENDER_CLIENT (self));
  g_return_if_fail (scale > 0);

  if (refuse_if_closed (self, cancellable, callback, user_data, gk_render_client_render_async))
    return;
  request = request_new (self, REQUEST_RENDER, priority, cancellable, callback, user_data,
                         gk_render_client_render_async);
  request->page = page;
  request->scale = scale;
  if (page >= self->n_pages)
    {
      fail_requests_later (self, g_list_prepend (NULL, request),
                           g_error_new (GK_ERROR, GK_ERROR_DAMAGED, _("page %u cannot be read"), page + 1));
      return;
    }
  enqueue (self, request);
}

/**
 * gk_render_client_render_finish:
 * @self: a document
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the page's pixels
 */
GkRenderImage *
gk_render_client_render_finish (GkRenderClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_render_client_find_async:
 * @self: a document
 * @text: what to find
 * @found: (nullable): called with each chunk's matches on the main context
 * @found_data: for @found
 * @cancellable: (nullable): a #GCancellable
 * @callback: called at the end
 * @user_data: for @callback
 *
 * Finds @text on every page, a few pages at a time so that renders go
 * on in between.
 */
void
gk_render_client_find_async (GkRenderClient      *self,
                             const char          *text,
                             GkRenderFindFunc     found,
                             gpointer             found_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Request *request;

  g_return_if_fail (GK_IS_RENDER_CLIENT (self));
  g_return_if_fail (text != NULL);

  if (refuse_if_closed (self, cancellable, callback, user_data, gk_render_client_find_async))
    return;
  request = request_new (self, REQUEST_FIND, GK_PDF_PRIORITY_TEXT, cancellable, callback, user_data,
                         gk_render_client_find_async);
  request->text = g_strdup (text);
  request->matches = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
  request->found = found;
  request->found_data = found_data;
  enqueue (self, request);
}

/**
 * gk_render_client_find_finish:
 * @self: a document
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkPdfRect): every match, tagged
 *   with its index
 */
GArray *
gk_render_client_find_finish (GkRenderClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const GkPdfSpan *x = a;
  const GkPdfSpan *y = b;

  if (x->page != y->page)
    return x->page < y->page ? -1 : 1;
  return x->offset < y->offset ? -1 : (x->offset > y->offset);
}

/**
 * gk_render_client_locate_async:
 * @self: a document
 * @spans: (array length=n_spans): runs of page text
 * @n_spans: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: for @callback
 *
 * Maps character runs (screening findings) to rectangles on their pages
 * with poppler's text layout: one rectangle per line a run covers.
 */
void
gk_render_client_locate_async (GkRenderClient      *self,
                               const GkPdfSpan     *spans,
                               guint                n_spans,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Request *request;

  g_return_if_fail (GK_IS_RENDER_CLIENT (self));

  if (refuse_if_closed (self, cancellable, callback, user_data, gk_render_client_locate_async))
    return;
  request = request_new (self, REQUEST_LOCATE, GK_PDF_PRIORITY_NEARBY, cancellable, callback,
                         user_data, gk_render_client_locate_async);
  request->spans = g_array_sized_new (FALSE, FALSE, sizeof (GkPdfSpan), n_spans);
  g_array_append_vals (request->spans, spans, MIN (n_spans, GK_RENDER_MAX_PAYLOAD / sizeof (GkPdfSpan)));
  g_array_sort (request->spans, compare_spans);
  enqueue (self, request);
}

/**
 * gk_render_client_locate_finish:
 * @self: a document
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type GkPdfRect): the rectangles
 */
GArray *
gk_render_client_locate_finish (GkRenderClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gk_render_client_set_timeout:
 * @self: a document
 * @seconds: how long one request may take
 *
 * A reader that takes longer is stopped and the request fails.
 */
void
gk_render_client_set_timeout (GkRenderClient *self,
                              guint           seconds)
{
  g_return_if_fail (GK_IS_RENDER_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;
}

static gboolean
return_closed_cb (gpointer data)
{
  g_task_return_new_error (G_TASK (data), G_IO_ERROR, G_IO_ERROR_CLOSED, "The document was closed");
  return G_SOURCE_REMOVE;
}

/**
 * gk_render_client_close:
 * @self: a document
 *
 * Stops the reader: the helper is killed and reaped (at once), a server
 * thread in process is joined (after the page it renders), so that no
 * poppler code runs for this document afterwards — in particular not under
 * poppler's static destructors at exit.  Every request still waiting
 * answers %G_IO_ERROR_CLOSED, later, on the main context; new ones are
 * refused.  Closing twice is fine.
 */
void
gk_render_client_close (GkRenderClient *self)
{
  g_autoptr(GSubprocess) process = NULL;
  GList *waiting = NULL;

  g_return_if_fail (GK_IS_RENDER_CLIENT (self));

  if (live_clients != NULL)
    g_ptr_array_remove_fast (live_clients, self);
  if (self->closed)
    return;
  self->closed = TRUE;
  self->waiting_exit = FALSE;

  process = g_steal_pointer (&self->process);
  drop_reader_io (self);
  if (process != NULL)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));

  if (self->current != NULL)
    waiting = g_list_prepend (waiting, g_steal_pointer (&self->current));
  waiting = g_list_concat (waiting, self->queue.head);
  g_queue_init (&self->queue);
  fail_requests_later (self, waiting,
                       g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "The document was closed"));
  if (self->open_task != NULL)
    gk_main_context_dispatch (self->context, G_PRIORITY_DEFAULT, return_closed_cb,
                              g_steal_pointer (&self->open_task), g_object_unref);
}

/**
 * gk_render_client_close_all:
 *
 * Closes every open document (application shutdown).
 */
void
gk_render_client_close_all (void)
{
  while (live_clients != NULL && live_clients->len > 0)
    gk_render_client_close (g_ptr_array_index (live_clients, live_clients->len - 1));
}

/**
 * gk_render_client_get_helper_pid:
 * @self: a document
 *
 * Returns: the reader's process id, 0 when there is none (or in process)
 */
GPid
gk_render_client_get_helper_pid (GkRenderClient *self)
{
  const char *id;

  g_return_val_if_fail (GK_IS_RENDER_CLIENT (self), 0);

  id = self->process ? g_subprocess_get_identifier (self->process) : NULL;
  return id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

/**
 * gk_render_client_get_n_starts:
 * @self: a document
 *
 * Returns: how many readers were started for this document
 */
guint
gk_render_client_get_n_starts (GkRenderClient *self)
{
  g_return_val_if_fail (GK_IS_RENDER_CLIENT (self), 0);

  return self->n_starts;
}

/**
 * gk_render_client_get_n_running:
 * @self: a document
 *
 * Returns: requests inside the reader now (0 or 1)
 */
guint
gk_render_client_get_n_running (GkRenderClient *self)
{
  g_return_val_if_fail (GK_IS_RENDER_CLIENT (self), 0);

  return self->current != NULL ? 1 : 0;
}
