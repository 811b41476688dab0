/* Unit tests for fingerprints and randomart, against ssh-keygen's output
 * (OpenSSH 9.2) for fixed keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include <sshkit/key.h>

static const char ed25519_line[] =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF+EI24ZrWmZX1U/K3JoD2gyvhilbsM05fcs95pQrySi fixture ed25519";

static const char p521_line[] =
    "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBADjYyoEUDGs5bytctT4ztuOXvIS"
    "3QHBn9oyhtrsDEIWQUGA+8tAs4ddxNsufu4BEzNwlLIuUvsGloz2TY1dq6gEwgEaMpgQ6rJrSK8KfKMU6FyBNnOOJFySxu+UECpM"
    "rJcBTPVqp8ooFXCLl2eiFGvCAsY+qoI/7lx+NhScColX94huUQ== fixture p521";

static const char rsa4096_line[] =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQDGcQrEbhNRPbNwJB014N83Nw5ucM9Tc14Wd1cFS35WbKT7o4AJEzey7b+258M/jD8o"
    "EIneFv2nzCj/6U9gKJdJfu6tuTkNtFZqCNwHyi6pxxmHhq7mnohre4xERtygq9YI326rs47r+5VIFwsG9/DdDh2CK4CzuMaLp+nN1BLq"
    "5YJMkrogWaB3PnL1bQgSrxnagmoSwlQf8wO087LoYbO3PNYCng1NYpu2KuGaWF4CR59lnBXPvj8wEP12TrRwxkmzW9gLkXdpkcE+6I4H"
    "dNcrG2nOrqzu38eVARmr2lNLn1IgzxUSbAs7WPOGDPdSXg2MIHXm/waHcusOu9XA8Kx6zSpQm4doaDtz5StDC809exMhhHyJQLv3fgsf"
    "QbbhCXS4DtqaTf6f+c155EhUiyBrmNlL64y/ZU3mUMx1YJ26xzjytqvmtJmbUANBokaOMvfee/V1sIV9t43XXyI88woEkZmM1nHexbna"
    "uhiUDDXY11HY+siI5nuusprF5GT7NQNkoaQRxqwwlozAo1efglyjn+DoKZvsLKNVGJOxWJxMJ0hJQOmSce2/xGul55MbfcceBqV7EY7/"
    "50278cn+bfcHBwR7DpfpHZsFz4NoLNozBRQPY19PgEMOKwUix1YQLdiIz3whLsOLGGgkc5iwFuX2NFPjPPSMQJ7KYQfVAMFkXw== fixture rsa";

struct expected {
    const char *line;
    sshkit_fingerprint_hash hash;
    const char *fingerprint;
    const char *art;
};

static const struct expected cases[] = {
    { ed25519_line, SSHKIT_FP_SHA256, "SHA256:OomryviWSX3iQoXvfKmFAurh8B6+dwMWm3LaYqMNDuI",
      "+--[ED25519 256]--+\n"
      "|                 |\n"
      "|                 |\n"
      "|   .             |\n"
      "|  . o            |\n"
      "|.  + +  S        |\n"
      "|..+ Xo.o         |\n"
      "|*+o%o+=.         |\n"
      "|@=@o*o=.         |\n"
      "|+EOBo+ .         |\n"
      "+----[SHA256]-----+" },
    { ed25519_line, SSHKIT_FP_MD5, "MD5:8b:9b:fe:6e:ad:8f:2d:dd:5c:14:f5:6c:19:e9:3d:79",
      "+--[ED25519 256]--+\n"
      "|               oo|\n"
      "|              .o+|\n"
      "|              .o*|\n"
      "|              .=E|\n"
      "|        S    .  o|\n"
      "|       . .    .  |\n"
      "|      . .o o .   |\n"
      "|       oooo o    |\n"
      "|     .++=+o      |\n"
      "+------[MD5]------+" },
    { p521_line, SSHKIT_FP_SHA256, "SHA256:AiLZBvEyQUPgY5LEjejuZNYIvB1GCUwCGQaDP9WcCR4",
      "+---[ECDSA 521]---+\n"
      "|^%+ E+ o         |\n"
      "|O%.=..=          |\n"
      "|X=*.o            |\n"
      "|+B++ .           |\n"
      "|o *.. . S        |\n"
      "| B o   .         |\n"
      "|=                |\n"
      "| .               |\n"
      "|                 |\n"
      "+----[SHA256]-----+" },
    { p521_line, SSHKIT_FP_MD5, "MD5:64:6f:30:ff:0d:eb:49:9a:56:9c:bf:9a:70:30:fe:f2", NULL },
    { rsa4096_line, SSHKIT_FP_SHA256, "SHA256:TRlamnb2b8OgG8bAb0DjVWIc7/gQcwXYgdwKvQobhsY",
      "+---[RSA 4096]----+\n"
      "|         +**+o.  |\n"
      "|        .***o.   |\n"
      "|   . .  B.Ooo    |\n"
      "|    E += BoB     |\n"
      "|   . . +S.+ +    |\n"
      "|      . .= + +   |\n"
      "|          B . =  |\n"
      "|         o o . . |\n"
      "|          .      |\n"
      "+----[SHA256]-----+" },
    { rsa4096_line, SSHKIT_FP_MD5, "MD5:32:d5:3f:9b:58:b6:92:cf:9f:70:ce:eb:ce:ef:82:41",
      "+---[RSA 4096]----+\n"
      "|                 |\n"
      "|         .       |\n"
      "|        . .      |\n"
      "|       .   .E    |\n"
      "|      o S  .=    |\n"
      "|       o   =.=   |\n"
      "|          + =o.  |\n"
      "|           +.*.. |\n"
      "|            o+X=o|\n"
      "+------[MD5]------+" },
};

static void test_fingerprints_match_ssh_keygen(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sshkit_key *key;
        char *fp;
        assert_int_equal(sshkit_key_parse_public(cases[i].line, strlen(cases[i].line), &key), 0);
        assert_int_equal(sshkit_key_fingerprint(key, cases[i].hash, &fp), 0);
        assert_string_equal(fp, cases[i].fingerprint);
        sshkit_free(fp, 0);
        sshkit_key_free(key);
    }
}

static void test_randomart_matches_ssh_keygen(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].art == NULL)
            continue;
        sshkit_key *key;
        char *art;
        assert_int_equal(sshkit_key_parse_public(cases[i].line, strlen(cases[i].line), &key), 0);
        assert_int_equal(sshkit_key_randomart(key, cases[i].hash, &art), 0);
        assert_string_equal(art, cases[i].art);
        sshkit_free(art, 0);
        sshkit_key_free(key);
    }
}

/* Every picture has the same frame: 11 lines of 19 characters. */
static void test_randomart_shape_every_type(void **state)
{
    (void)state;
    static const sshkit_key_type types[] = {
        SSHKIT_KEY_ED25519, SSHKIT_KEY_ECDSA_P256, SSHKIT_KEY_ECDSA_P384, SSHKIT_KEY_ECDSA_P521,
        SSHKIT_KEY_RSA,
    };
    static const char *titles[] = {
        "+--[ED25519 256]--+", "+---[ECDSA 256]---+", "+---[ECDSA 384]---+", "+---[ECDSA 521]---+",
        "+---[RSA 2048]----+",
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        sshkit_key *key;
        char *art;
        assert_int_equal(sshkit_key_generate(types[i], 2048, &key), 0);
        assert_int_equal(sshkit_key_randomart(key, SSHKIT_FP_SHA256, &art), 0);
        assert_int_equal(strlen(art), 11 * 19 + 10);
        assert_memory_equal(art, titles[i], 19);
        assert_non_null(strchr(art, 'S'));
        assert_non_null(strchr(art, 'E'));
        sshkit_free(art, 0);
        sshkit_key_free(key);
    }
}

static void test_bad_arguments(void **state)
{
    (void)state;
    sshkit_key *key;
    char *text = (char *)"x";
    assert_int_equal(sshkit_key_parse_public(ed25519_line, strlen(ed25519_line), &key), 0);
    assert_int_equal(sshkit_key_fingerprint(key, (sshkit_fingerprint_hash)7, &text),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_null(text);
    assert_int_equal(sshkit_key_randomart(key, (sshkit_fingerprint_hash)7, &text),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_key_fingerprint(NULL, SSHKIT_FP_SHA256, &text), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, NULL), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_key_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprints_match_ssh_keygen),
        cmocka_unit_test(test_randomart_matches_ssh_keygen),
        cmocka_unit_test(test_randomart_shape_every_type),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
