/* Part of sftp_probe.c (included once, after its helpers): the commands
 * that move file contents: get/put, transfer objects, the file API's
 * read and write loops, copy-data, fsync, and the extension listing. */

struct progress {
    uint64_t last, total;
    unsigned calls;
    bool backwards;
};

static void on_progress(void *user, uint64_t done, uint64_t total)
{
    struct progress *p = user;
    if (done < p->last)
        p->backwards = true;
    p->last = done;
    p->total = total;
    p->calls++;
}

static void transfer_options(sshkit_sftp_transfer_options *o, char **a, int n, int from,
                             struct progress *p)
{
    sshkit_sftp_transfer_options_init(o);
    o->requests = requests;
    o->request_size = request_size;
    o->progress = on_progress;
    o->progress_user = p;
    for (int i = from; i < n; i++) {
        o->resume |= strcmp(a[i], "resume") == 0;
        o->preserve |= strcmp(a[i], "preserve") == 0;
        o->fsync |= strcmp(a[i], "fsync") == 0;
    }
}

static int transferred(const char *what, int rc, const struct progress *p)
{
    if (rc)
        return report(rc);
    if (p->backwards || p->last != p->total) {
        printf("error progress %s: last %llu of %llu%s\n", what, (unsigned long long)p->last,
               (unsigned long long)p->total, p->backwards ? ", went backwards" : "");
        return 1;
    }
    printf("ok %s bytes=%llu calls=%u\n", what, (unsigned long long)p->last, p->calls);
    return 0;
}

static int cmd_get(char **a, int n)
{
    struct progress p = { 0 };
    sshkit_sftp_transfer_options o;
    int rc;
    if (n < 3)
        return -1;
    transfer_options(&o, a, n, 3, &p);
    CALL(rc, sshkit_sftp_get(sftp, a[1], a[2], &o));
    return transferred("get", rc, &p);
}

static int cmd_put(char **a, int n)
{
    struct progress p = { 0 };
    sshkit_sftp_transfer_options o;
    int rc;
    if (n < 3)
        return -1;
    transfer_options(&o, a, n, 3, &p);
    CALL(rc, sshkit_sftp_put(sftp, a[1], a[2], &o));
    return transferred("put", rc, &p);
}

/* A transfer object stepped from here; abort-* frees it once BYTES are in. */
static int cmd_transfer(char **a, int n)
{
    bool get = strcmp(a[0], "tget") == 0 || strcmp(a[0], "abort-get") == 0;
    bool abort = strncmp(a[0], "abort", 5) == 0;
    if (n != (abort ? 4 : 3))
        return -1;
    struct progress p = { 0 };
    sshkit_sftp_transfer_options o;
    transfer_options(&o, a, 0, 0, &p);
    sshkit_sftp_transfer *t;
    int rc = get ? sshkit_sftp_get_start(sftp, a[1], a[2], &o, &t)
                 : sshkit_sftp_put_start(sftp, a[1], a[2], &o, &t);
    uint64_t stop = abort ? strtoull(a[3], NULL, 10) : UINT64_MAX, done = 0;
    while (rc == 0 && (rc = sshkit_sftp_transfer_step(t)) == SSHKIT_E_AGAIN) {
        sshkit_sftp_transfer_progress(t, &done, NULL);
        if (done >= stop)
            break;
        rc = nonblocking ? drive() : sshkit_client_wait_event(client);
    }
    sshkit_sftp_transfer_free(t);
    if (abort) {
        if (rc != SSHKIT_E_AGAIN)
            return rc ? report(rc) : (printf("error finished before %s bytes\n", a[3]), 1);
        printf("ok %s at=%llu\n", a[0], (unsigned long long)done);
        return 0;
    }
    return transferred(a[0], rc, &p);
}

static int close_file(sshkit_sftp_file *f, int rc)
{
    int rc2;
    CALL(rc2, sshkit_sftp_file_close(f));
    return rc ? rc : rc2;
}

/* Reads the second half first, then the first: seek and tell on the way. */
static int read_range(sshkit_sftp_file *f, int out, uint64_t from, uint64_t to, size_t chunk)
{
    static uint8_t buf[1 << 20];
    sshkit_sftp_file_seek(f, from);
    while (sshkit_sftp_file_tell(f) < to) {
        uint64_t left = to - sshkit_sftp_file_tell(f);
        size_t want = left < chunk ? (size_t)left : chunk;
        uint64_t at = sshkit_sftp_file_tell(f);
        int rc;
        CALL(rc, sshkit_sftp_file_read(f, buf, want));
        if (rc <= 0)
            return rc < 0 ? rc : SSHKIT_E_TRUNCATED;
        if (pwrite(out, buf, (size_t)rc, (off_t)at) != rc)
            return SSHKIT_E_IO;
    }
    return 0;
}

static int cmd_readfile(char **a, int n)
{
    size_t chunk = n > 3 ? (size_t)atoi(a[3]) : 65536;
    if (n < 3 || chunk == 0 || chunk > (1 << 20))
        return -1;
    sshkit_sftp_file *f;
    sshkit_sftp_attrs attrs;
    int rc = open_file(a[1], SSHKIT_SFTP_READ, &f);
    if (rc)
        return report(rc);
    CALL(rc, sshkit_sftp_file_fstat(f, &attrs));
    int out = open(a[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    uint64_t half = attrs.size / 2;
    if (rc == 0 && out < 0)
        rc = SSHKIT_E_IO;
    if (rc == 0)
        rc = read_range(f, out, half, attrs.size, chunk);
    if (rc == 0) {     /* at the end: one more read says EOF */
        uint8_t b;
        CALL(rc, sshkit_sftp_file_read(f, &b, 1));
        rc = rc == 0 ? read_range(f, out, 0, half, chunk) : SSHKIT_E_FORMAT;
    }
    if (out >= 0)
        close(out);
    if ((rc = close_file(f, rc)) != 0)
        return report(rc);
    printf("ok readfile bytes=%llu\n", (unsigned long long)attrs.size);
    return 0;
}

static int cmd_writefile(char **a, int n)
{
    size_t chunk = n > 3 ? (size_t)atoi(a[3]) : 100000;
    if (n < 3 || chunk == 0)
        return -1;
    int in = open(a[1], O_RDONLY);
    struct stat st;
    if (in < 0 || fstat(in, &st) != 0)
        return printf("error local %s\n", strerror(errno)), 1;
    uint8_t *data = malloc((size_t)st.st_size + 1);
    size_t len = (size_t)st.st_size;
    if (data == NULL || (len && read(in, data, len) != (ssize_t)len))
        return printf("error local read\n"), 1;
    close(in);
    sshkit_sftp_file *f = NULL;
    int rc = open_file(a[2], SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT | SSHKIT_SFTP_TRUNC, &f);
    for (size_t off = 0; rc == 0 && off < len; off += chunk) {
        size_t part = len - off < chunk ? len - off : chunk;
        CALL(rc, sshkit_sftp_file_write(f, data + off, part));
        rc = rc == (int)part ? 0 : rc < 0 ? rc : SSHKIT_E_TRUNCATED;
    }
    free(data);
    if (rc == 0 && sshkit_sftp_file_tell(f) != len)
        rc = SSHKIT_E_FORMAT;
    if (f)
        rc = close_file(f, rc);
    if (rc)
        return report(rc);
    printf("ok writefile bytes=%zu\n", len);
    return 0;
}

static int cmd_copy(char **a, int n)
{
    sshkit_sftp_file *from, *to;
    if (n != 3)
        return -1;
    int rc = open_file(a[1], SSHKIT_SFTP_READ, &from);
    if (rc)
        return report(rc);
    rc = open_file(a[2], SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT | SSHKIT_SFTP_TRUNC, &to);
    if (rc == 0) {
        CALL(rc, sshkit_sftp_copy_data(from, 0, 0, to, 0));
        rc = close_file(to, rc);
    }
    if ((rc = close_file(from, rc)) != 0)
        return report(rc);
    printf("ok copy\n");
    return 0;
}

static int cmd_fsync(char **a, int n)
{
    sshkit_sftp_file *f;
    if (n != 2)
        return -1;
    int rc = open_file(a[1], SSHKIT_SFTP_WRITE, &f);
    if (rc)
        return report(rc);
    CALL(rc, sshkit_sftp_file_fsync(f));
    if ((rc = close_file(f, rc)) != 0)
        return report(rc);
    printf("ok fsync\n");
    return 0;
}

static int cmd_ext(char **a, int n)
{
    (void)n;
    if (strcmp(a[0], "limits") == 0) {
        sshkit_sftp_limits l;
        int rc = sshkit_sftp_get_limits(sftp, &l);
        if (rc)
            return report(rc);
        printf("ok limits packet=%llu read=%llu write=%llu handles=%llu\n",
               (unsigned long long)l.max_packet, (unsigned long long)l.max_read,
               (unsigned long long)l.max_write, (unsigned long long)l.max_handles);
        return 0;
    }
    const char *name, *version;
    for (unsigned i = 0; (name = sshkit_sftp_extension(sftp, i, &version)) != NULL; i++)
        printf("ext %s=%s\n", name, version);
    printf("ok ext version=%u\n", sshkit_sftp_server_version(sftp));
    return 0;
}
