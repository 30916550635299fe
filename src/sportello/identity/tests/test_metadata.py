import shutil
import subprocess

from defusedxml import ElementTree

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
SPID = "{https://spid.gov.it/saml-extensions}"


def test_metadata_is_signed_and_has_the_spid_extensions(client, settings, tmp_path):
    response = client.get("/spid/metadata/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/samlmetadata+xml")
    root = ElementTree.fromstring(response.content)
    assert root.get("entityID") == settings.SPID_SP_ENTITY_ID

    signature = root.find(f"{DS}Signature")
    assert signature is not None
    assert signature.find(f"{DS}SignedInfo/{DS}SignatureMethod").get("Algorithm").endswith("rsa-sha256")
    # The signature verifies with the SP certificate (xmlsec1, as an IdP would).
    document = tmp_path / "metadata.xml"
    document.write_bytes(response.content)
    result = subprocess.run(
        [
            shutil.which("xmlsec1"),
            "--verify",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            "--pubkey-cert-pem",
            str(settings.SPID_SP_CERT_PATH),
            str(document),
        ],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    sp = root.find(f"{MD}SPSSODescriptor")
    assert sp.get("AuthnRequestsSigned") == "true"
    assert sp.get("WantAssertionsSigned") == "true"
    assert sp.find(f"{MD}KeyDescriptor").get("use") == "signing"
    acs = sp.find(f"{MD}AssertionConsumerService")
    assert acs.get("Location").endswith("/spid/acs/")
    assert acs.get("index") == "0" and acs.get("isDefault") == "true"
    assert {s.get("Location") for s in sp.findall(f"{MD}SingleLogoutService")} == {
        settings.SPID_SP_BASE_URL + "/spid/ls/"
    }
    requested = [a.get("Name") for a in sp.findall(f"{MD}AttributeConsumingService/{MD}RequestedAttribute")]
    assert "fiscalNumber" in requested and "email" in requested

    contact = root.find(f"{MD}ContactPerson[@contactType='other']")
    assert contact.find(f"{MD}Extensions/{SPID}IPACode").text == settings.SPID_SP_IPA_CODE
    assert contact.find(f"{MD}Extensions/{SPID}Public") is not None
    assert contact.find(f"{MD}EmailAddress").text == settings.SPID_SP_CONTACT_EMAIL
    assert root.find(f"{MD}Organization/{MD}OrganizationName").text == settings.SPID_SP_ORGANIZATION_NAME


def test_sp_certificate_has_the_spid_subject_fields(client, settings):
    from cryptography import x509

    client.get("/spid/metadata/")
    certificate = x509.load_pem_x509_certificate(settings.SPID_SP_CERT_PATH.read_bytes())
    subject = {attribute.oid.dotted_string: attribute.value for attribute in certificate.subject}
    assert subject["2.5.4.83"] == settings.SPID_SP_ENTITY_ID  # uri
    assert subject["2.5.4.97"] == f"PA:IT-{settings.SPID_SP_IPA_CODE}"  # organizationIdentifier
    assert subject["2.5.4.6"] == "IT"
    policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert "1.3.76.16.4.2.1" in {p.policy_identifier.dotted_string for p in policies}
