/**
 * Tests of the deployment files under {@code deploy/}: nginx in front of real servers, the Dockerfile's
 * structure, the compose file and the Kubernetes manifests, checked against the server's defaults.
 */
package io.dlstation.deploy;
