/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "GkRender"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <math.h>
#include <poppler.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gk-pdf.h"
#include "gk-render-client.h"
#include "gk-render-protocol.h"
#include "gk-render-server.h"
#include "gk-types.h"

/* CPU seconds one request may use in the helper (the client also stops it
 * after its wall-clock timeout). */
#define REQUEST_CPU_SECONDS 30

typedef struct
{
  int              fd;
  gboolean         as_helper;
  PopplerDocument *document;
  char            *path;
  /* $GONGKAI_RENDER_FAULT = "crash:TEXT", "hang:TEXT" or "memory:TEXT":
   * the helper crashes (SIGSEGV), hangs or runs out of memory when asked
   * for a page of a file whose path contains TEXT.  Tests only; ignored in
   * process. */
  char            *fault_mode;
  char            *fault_match;
} Server;

static gboolean
write_all (int         fd,
           const void *data,
           gsize       length)
{
  const char *p = data;

  while (length > 0)
    {
      ssize_t n = send (fd, p, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static gboolean
read_all (int    fd,
          void  *data,
          gsize  length)
{
  char *p = data;

  while (length > 0)
    {
      ssize_t n = recv (fd, p, length, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/**
 * gk_render_send:
 * @fd: a connected UNIX stream socket
 * @type: a #GkRenderMessage
 * @id: the request's id
 * @payload: (nullable): @length bytes
 * @length: payload size
 * @pass_fd: a descriptor to pass along, or -1
 *
 * Returns: %FALSE when the peer is gone
 */
gboolean
gk_render_send (int         fd,
                guint32     type,
                guint32     id,
                const void *payload,
                gsize       length,
                int         pass_fd)
{
  GkRenderHeader header = { type, id, (guint32) length, 0 };
  struct iovec iov = { &header, sizeof header };
  union
  {
    struct cmsghdr align;
    char           buffer[CMSG_SPACE (sizeof (int))];
  } control;
  struct msghdr message = { 0 };
  ssize_t n;

  g_return_val_if_fail (length <= GK_RENDER_MAX_PAYLOAD, FALSE);

  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  if (pass_fd >= 0)
    {
      struct cmsghdr *cmsg;

      memset (&control, 0, sizeof control);
      message.msg_control = control.buffer;
      message.msg_controllen = sizeof control.buffer;
      cmsg = CMSG_FIRSTHDR (&message);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (cmsg), &pass_fd, sizeof (int));
    }
  /* The descriptor rides with the header's first byte. */
  do
    n = sendmsg (fd, &message, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return FALSE;
  if ((gsize) n < sizeof header && !write_all (fd, (char *) &header + n, sizeof header - (gsize) n))
    return FALSE;
  return length == 0 || write_all (fd, payload, length);
}

static gboolean
send_error (Server     *server,
            guint32     id,
            int         code,
            const char *message)
{
  gsize length = strlen (message);
  g_autofree char *payload = g_malloc (sizeof (gint32) + length);
  gint32 code32 = code;

  memcpy (payload, &code32, sizeof code32);
  memcpy (payload + sizeof code32, message, length);
  return gk_render_send (server->fd, GK_RENDER_ERROR, id, payload, sizeof code32 + length, -1);
}

static void
get_page_size (PopplerPage *page,
               double      *width,
               double      *height)
{
  *width = *height = 0;
  if (page != NULL)
    poppler_page_get_size (page, width, height);
  if (!(*width > 0 && *height > 0) || !isfinite (*width) || !isfinite (*height))
    {
      /* A page poppler cannot size: an A4 placeholder. */
      *width = 595.0;
      *height = 842.0;
    }
}

static gboolean
handle_open (Server     *server,
             guint32     id,
             const char *payload,
             gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GByteArray) reply = NULL;
  const char *path = payload;
  const char *password;
  gsize path_length = strnlen (payload, length);
  guint32 n_pages;

  if (path_length + 1 >= length || server->document != NULL)
    return send_error (server, id, GK_ERROR_INVALID, "bad open request");
  password = payload + path_length + 1;
  if (strnlen (password, length - path_length - 1) == length - path_length - 1)
    return send_error (server, id, GK_ERROR_INVALID, "bad open request");

  file = g_file_new_for_path (path);
  server->document = poppler_document_new_from_gfile (file, *password ? password : NULL, NULL, &error);
  if (server->document == NULL)
    {
      if (g_error_matches (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        return send_error (server, id, GK_ERROR_PASSWORD,
                           *password ? _("Wrong password for this encrypted PDF")
                                     : _("Password required: the PDF is encrypted"));
      {
        /* Poppler's English words go to the log only. */
        g_debug ("poppler cannot open the document: %s", error ? error->message : "(no message)");
        return send_error (server, id, GK_ERROR_DAMAGED,
                           _ ("The PDF is damaged and cannot be read."));
      }
    }
  server->path = g_strdup (path);

  n_pages = (guint32) MAX (0, poppler_document_get_n_pages (server->document));
  reply = g_byte_array_sized_new (sizeof n_pages + n_pages * 2 * sizeof (double));
  g_byte_array_append (reply, (guint8 *) &n_pages, sizeof n_pages);
  for (guint32 i = 0; i < n_pages; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (server->document, (int) i);
      double size[2];

      get_page_size (page, &size[0], &size[1]);
      g_byte_array_append (reply, (guint8 *) size, sizeof size);
    }
  if (reply->len > GK_RENDER_MAX_PAYLOAD)
    return send_error (server, id, GK_ERROR_DAMAGED, _("The PDF has too many pages to show"));
  return gk_render_send (server->fd, GK_RENDER_OPENED, id, reply->data, reply->len, -1);
}

static void
maybe_fault (Server *server)
{
  if (!server->as_helper || server->fault_match == NULL || server->path == NULL ||
      strstr (server->path, server->fault_match) == NULL)
    return;
  if (g_strcmp0 (server->fault_mode, "crash") == 0)
    raise (SIGSEGV);
  else if (g_strcmp0 (server->fault_mode, "hang") == 0)
    for (;;)
      pause ();
  else if (g_strcmp0 (server->fault_mode, "memory") == 0)
    {
      /* What poppler does when an allocation fails: abort.  Only address
       * space is taken (nothing is touched), until the limit says no. */
      static void *volatile sink;

      for (;;)
        if ((sink = malloc (64u << 20)) == NULL)
          abort ();
    }
}

static gboolean
handle_page (Server     *server,
             guint32     id,
             const char *payload,
             gsize       length)
{
  g_autoptr(PopplerPage) page = NULL;
  GkRenderPageRequest request;
  GkRenderImageReply reply = { 0 };
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height, scale;
  gsize size;
  void *pixels;
  int memfd;
  gboolean sent;
  cairo_status_t status;

  if (length != sizeof request)
    return send_error (server, id, GK_ERROR_INVALID, "bad page request");
  memcpy (&request, payload, sizeof request);
  page = poppler_document_get_page (server->document, (int) request.page);
  if (page == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("page %u cannot be read"), request.page + 1);

      return send_error (server, id, GK_ERROR_DAMAGED, text);
    }
  maybe_fault (server);

  get_page_size (page, &width, &height);
  scale = request.scale;
  if (!(scale > 0) || !isfinite (scale))
    scale = 1.0;
  /* Larger textures are refused by GL drivers and cost too much memory. */
  scale = MIN (scale, GK_RENDER_MAX_SIDE / MAX (width, height));
  reply.width = (guint32) CLAMP (ceil (width * scale), 1, GK_RENDER_MAX_SIDE);
  reply.height = (guint32) CLAMP (ceil (height * scale), 1, GK_RENDER_MAX_SIDE);
  reply.stride = (guint32) cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, (int) reply.width);
  size = (gsize) reply.stride * reply.height;

  memfd = memfd_create ("gongkai-page", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (memfd < 0 || ftruncate (memfd, (off_t) size) < 0)
    {
      if (memfd >= 0)
        close (memfd);
      return send_error (server, id, GK_ERROR_DAMAGED, _("there is not enough memory to show it"));
    }
  pixels = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
  if (pixels == MAP_FAILED)
    {
      close (memfd);
      return send_error (server, id, GK_ERROR_DAMAGED, _("there is not enough memory to show it"));
    }

  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, (int) reply.width,
                                                 (int) reply.height, (int) reply.stride);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  munmap (pixels, size);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      close (memfd);
      return send_error (server, id, GK_ERROR_DAMAGED,
                         status == CAIRO_STATUS_NO_MEMORY ? _("there is not enough memory to show it")
                                                          : cairo_status_to_string (status));
    }

  /* Sealed, so that the window can map it without fearing that it shrinks
   * under it (SIGBUS) or changes while shown. */
  fcntl (memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  sent = gk_render_send (server->fd, GK_RENDER_IMAGE, id, &reply, sizeof reply, memfd);
  close (memfd);
  return sent;
}

static gboolean
handle_find (Server     *server,
             guint32     id,
             const char *payload,
             gsize       length)
{
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
  g_autofree char *text = NULL;
  GkRenderFindRequest request;
  guint n_pages = (guint) MAX (0, poppler_document_get_n_pages (server->document));
  guint end;

  if (length <= sizeof request)
    return send_error (server, id, GK_ERROR_INVALID, "bad find request");
  memcpy (&request, payload, sizeof request);
  text = g_strndup (payload + sizeof request, length - sizeof request);
  end = MIN (n_pages, request.first_page + MIN (request.n_pages, 1000u));

  for (guint i = request.first_page; i < end; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (server->document, (int) i);
      double width, height;
      GList *found;

      if (page == NULL)
        continue;
      get_page_size (page, &width, &height);
      found = poppler_page_find_text_with_options (page, text, POPPLER_FIND_DEFAULT);
      for (GList *l = found; l != NULL; l = l->next)
        {
          PopplerRectangle *r = l->data;
          GkPdfRect rect;

          /* find_text answers in PDF space (origin at the bottom left). */
          rect.page = (gint32) i;
          rect.tag = (gint32) (request.first_tag + rects->len);
          rect.x = MIN (r->x1, r->x2);
          rect.width = fabs (r->x2 - r->x1);
          rect.height = fabs (r->y2 - r->y1);
          rect.y = height - MAX (r->y1, r->y2);
          g_array_append_val (rects, rect);
        }
      g_list_free_full (found, (GDestroyNotify) poppler_rectangle_free);
      if (rects->len * sizeof (GkPdfRect) > GK_RENDER_MAX_PAYLOAD / 2)
        break;
    }
  return gk_render_send (server->fd, GK_RENDER_RECTS, id, rects->data,
                         rects->len * sizeof (GkPdfRect), -1);
}

/* One rectangle per line the run covers, from poppler's text layout (one
 * rectangle per character of poppler_page_get_text()). */
static void
locate_span (const GkPdfSpan        *span,
             const char             *text,
             const PopplerRectangle *layout,
             guint                   n_layout,
             GArray                 *out)
{
  const char *p = text;
  GkPdfRect current = { 0 };
  gboolean open = FALSE;
  int index = 0;

  for (; p != NULL && *p != '\0' && index < span->offset + span->length;
       p = g_utf8_next_char (p), index++)
    {
      gunichar c = g_utf8_get_char (p);
      const PopplerRectangle *r;
      double x, y, w, h;

      if (index < span->offset || (guint) index >= n_layout)
        continue;
      if (g_unichar_isspace (c))
        continue;
      r = &layout[index];
      x = MIN (r->x1, r->x2);
      y = MIN (r->y1, r->y2);
      w = fabs (r->x2 - r->x1);
      h = fabs (r->y2 - r->y1);
      if (open && fabs (y - current.y) < MAX (h, current.height) / 2)
        {
          double right = MAX (current.x + current.width, x + w);
          double bottom = MAX (current.y + current.height, y + h);

          current.x = MIN (current.x, x);
          current.y = MIN (current.y, y);
          current.width = right - current.x;
          current.height = bottom - current.y;
          continue;
        }
      if (open)
        g_array_append_val (out, current);
      current = (GkPdfRect) { span->page, span->tag, x, y, w, h };
      open = TRUE;
    }
  if (open)
    g_array_append_val (out, current);
}

static gboolean
handle_locate (Server     *server,
               guint32     id,
               const char *payload,
               gsize       length)
{
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (GkPdfRect));
  g_autofree char *text = NULL;
  g_autofree PopplerRectangle *layout = NULL;
  guint n_layout = 0, n_spans = (guint) (length / sizeof (GkPdfSpan));
  int cached_page = -1;

  if (length % sizeof (GkPdfSpan) != 0)
    return send_error (server, id, GK_ERROR_INVALID, "bad locate request");

  /* Spans come sorted by page: each page's layout is read once. */
  for (guint i = 0; i < n_spans; i++)
    {
      GkPdfSpan span;

      memcpy (&span, payload + i * sizeof span, sizeof span);
      if (span.page != cached_page)
        {
          g_autoptr(PopplerPage) page = NULL;
          g_autofree char *raw = NULL;

          g_clear_pointer (&text, g_free);
          g_clear_pointer (&layout, g_free);
          n_layout = 0;
          cached_page = span.page;
          page = span.page >= 0 ? poppler_document_get_page (server->document, span.page) : NULL;
          if (page == NULL)
            continue;
          raw = poppler_page_get_text (page);
          text = raw ? g_utf8_make_valid (raw, -1) : NULL;
          if (!poppler_page_get_text_layout (page, &layout, &n_layout))
            n_layout = 0;
        }
      if (text != NULL && layout != NULL)
        locate_span (&span, text, layout, n_layout, rects);
    }
  return gk_render_send (server->fd, GK_RENDER_RECTS, id, rects->data,
                         rects->len * sizeof (GkPdfRect), -1);
}

/* Each request gets REQUEST_CPU_SECONDS of CPU from now on: the helper
 * lives as long as the document is open, so a limit on its whole life
 * would end a long reading session. */
static void
arm_cpu_limit (void)
{
  struct rusage usage;
  struct rlimit limit;

  if (getrusage (RUSAGE_SELF, &usage) != 0 || getrlimit (RLIMIT_CPU, &limit) != 0)
    return;
  limit.rlim_cur = (rlim_t) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + REQUEST_CPU_SECONDS + 1);
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_cur > limit.rlim_max)
    limit.rlim_cur = limit.rlim_max;
  setrlimit (RLIMIT_CPU, &limit);
}

/**
 * gk_render_server_run:
 * @fd: a connected UNIX stream socket (not closed here)
 * @as_helper: %TRUE in gongkai-render
 *
 * Returns: 0 when the peer closed the socket, 1 on a protocol error
 */
int
gk_render_server_run (int      fd,
                      gboolean as_helper)
{
  Server server = { fd, as_helper, NULL, NULL, NULL, NULL };
  /* A test hook: only in builds with -Dtest_hooks (config.h). */
  const char *fault = GK_TEST_HOOKS ? g_getenv ("GONGKAI_RENDER_FAULT") : NULL;
  int status = 0;

  if (as_helper && fault != NULL && strchr (fault, ':') != NULL)
    {
      server.fault_mode = g_strndup (fault, (gsize) (strchr (fault, ':') - fault));
      server.fault_match = g_strdup (strchr (fault, ':') + 1);
    }

  for (;;)
    {
      GkRenderHeader header;
      g_autofree char *payload = NULL;
      gboolean ok;

      if (!read_all (fd, &header, sizeof header))
        break;
      if (header.length > GK_RENDER_MAX_PAYLOAD)
        {
          status = 1;
          break;
        }
      payload = g_malloc (header.length + 1);
      payload[header.length] = '\0';
      if (header.length > 0 && !read_all (fd, payload, header.length))
        break;
      if (as_helper)
        arm_cpu_limit ();

      if (header.type == GK_RENDER_OPEN)
        ok = handle_open (&server, header.id, payload, header.length);
      else if (server.document == NULL)
        ok = send_error (&server, header.id, GK_ERROR_INVALID, "no document is open");
      else if (header.type == GK_RENDER_PAGE)
        ok = handle_page (&server, header.id, payload, header.length);
      else if (header.type == GK_RENDER_FIND)
        ok = handle_find (&server, header.id, payload, header.length);
      else if (header.type == GK_RENDER_LOCATE)
        ok = handle_locate (&server, header.id, payload, header.length);
      else
        ok = send_error (&server, header.id, GK_ERROR_INVALID, "unknown request");
      if (!ok)
        break;
    }

  g_clear_object (&server.document);
  g_free (server.path);
  g_free (server.fault_mode);
  g_free (server.fault_match);
  return status;
}
