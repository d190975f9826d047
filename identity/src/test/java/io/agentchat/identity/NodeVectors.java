package io.agentchat.identity;

/** Values produced by Node 20's crypto module for the seed 00 01 02 … 1f (facts §2.1). */
final class NodeVectors {
  static final byte[] SEED = new byte[32];

  static {
    for (int i = 0; i < SEED.length; i++) {
      SEED[i] = (byte) i;
    }
  }

  static final String PUBLIC_BASE64 =
      "MCowBQYDK2VwAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
  static final String PRIVATE_BASE64 =
      "MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";
  static final String PUBLIC_PEM =
      "-----BEGIN PUBLIC KEY-----\n" + PUBLIC_BASE64 + "\n-----END PUBLIC KEY-----\n";
  static final String PRIVATE_PEM =
      "-----BEGIN PRIVATE KEY-----\n" + PRIVATE_BASE64 + "\n-----END PRIVATE KEY-----\n";
  static final String AGENT_ID = "f0ff50dacf109dea";

  static final String LOGIN =
      "AGENTCHAT_AUTH|00112233445566778899aabbccddeeff|chal_m0abc123_deadbeef|1700000000000";
  static final String LOGIN_SIGNATURE =
      "g/QzQoKk9z5zP+LtnbfkyopMJvDXIXVrspnjOoyh602pFOlqGRRSS/qzmzrexUbGdfclXJOVbVS75WeyVeToAg==";
  static final String PROPOSAL = "@0123456789abcdef|Review PR #42|1.5|SOL||300|";
  static final String PROPOSAL_SIGNATURE =
      "DPMNkvZcdPu3TAr5gRqaQz0ix9VRdX15vdtXMA7rYP7SyDMvlObzR/4hcB8t71MsZyoYtLv3xdBqWMNWV4HoCg==";
  static final String SKILLS =
      "REGISTER_SKILLS|12642cb082e9c04a60b9aeb1f670c75cdb9d089edceaeef6899ae8a0060d45ed";
  static final String SKILLS_SIGNATURE =
      "IDZD1pDT33jvuWeouB43beqT+/U5itHR4hRxsQViyA5xigm4f4PaVhIXuEel+Q3DqvaZNKlvbXnLePWLj24ICw==";

  private NodeVectors() {}
}
