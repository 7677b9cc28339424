/* Masthead ALTCHA solver: the guest's browser proves a little work before a comment is sent.
 *
 * The server's challenge says: "SHA-256(salt + n) is this hash, for some whole number n from 0
 * to maxNumber; find n". Trying numbers in order takes a person's browser about a second and a
 * spammer's script the same second per comment, which is the point. The answer goes back as
 * base64 JSON {algorithm, challenge, number, salt, signature}: the shape the server's altcha
 * library (v1 API, `verify_solution`) reads.
 *
 *     MastheadAltcha.solve("/moderation/altcha/challenge").then(function (payload) { ... });
 *
 * Plain JavaScript, no build step. Needs the Web Crypto API, which browsers offer on HTTPS
 * pages and on localhost only. Its errors reach the comment form, so they are in the reader's
 * language: the page loads the JavaScript catalog (gettext, interpolate) before this file.
 */
(function () {
    "use strict";

    // Hashes started together. Digests are asynchronous, so a batch runs in parallel; between
    // batches the solver hands the main thread back (a macrotask), so typing stays smooth.
    var BATCH_SIZE = 500;
    var encoder = new TextEncoder();

    function bytesFromHex(hex) {
        var bytes = new Uint8Array(hex.length / 2);
        for (var i = 0; i < bytes.length; i++) {
            bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
        }
        return bytes;
    }

    function sameBytes(buffer, expected) {
        var actual = new Uint8Array(buffer);
        if (actual.length !== expected.length) {
            return false;
        }
        for (var i = 0; i < actual.length; i++) {
            if (actual[i] !== expected[i]) {
                return false;
            }
        }
        return true;
    }

    function nextTick() {
        return new Promise(function (resolve) {
            setTimeout(resolve, 0);
        });
    }

    // Resolve with the number whose hash is the challenge, or reject when none up to maxNumber is.
    function findNumber(challenge) {
        if (challenge.algorithm !== "SHA-256") {
            return Promise.reject(new Error(interpolate(
                gettext("Unsupported algorithm %(name)s"),
                {name: challenge.algorithm}, true)));
        }
        var target = bytesFromHex(challenge.challenge);
        var maxNumber = challenge.maxNumber;

        function tryBatch(start) {
            if (start > maxNumber) {
                return Promise.reject(new Error(gettext("No number solves this challenge.")));
            }
            var end = Math.min(start + BATCH_SIZE - 1, maxNumber);
            var digests = [];
            for (var n = start; n <= end; n++) {
                digests.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
            }
            return Promise.all(digests).then(function (hashes) {
                for (var i = 0; i < hashes.length; i++) {
                    if (sameBytes(hashes[i], target)) {
                        return start + i;
                    }
                }
                return nextTick().then(function () {
                    return tryBatch(end + 1);
                });
            });
        }

        return tryBatch(0);
    }

    function encodePayload(challenge, number) {
        var payload = {
            algorithm: challenge.algorithm,
            challenge: challenge.challenge,
            number: number,
            salt: challenge.salt,
            signature: challenge.signature
        };
        // The salt and hashes are ASCII, so btoa's Latin-1 limit never bites.
        return btoa(JSON.stringify(payload));
    }

    function solve(challengeUrl) {
        if (!window.crypto || !crypto.subtle) {
            return Promise.reject(new Error(gettext("This browser cannot compute the proof of work here.")));
        }
        return fetch(challengeUrl, {credentials: "same-origin", cache: "no-store"})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(interpolate(
                        gettext("The challenge could not be fetched (%(status)s)."),
                        {status: response.status}, true));
                }
                return response.json();
            })
            .then(function (challenge) {
                return findNumber(challenge).then(function (number) {
                    return encodePayload(challenge, number);
                });
            });
    }

    window.MastheadAltcha = {solve: solve};
})();
