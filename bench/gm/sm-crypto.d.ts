// The few members of sm-crypto (no bundled types) that the SM2 benchmark calls.
declare module 'sm-crypto' {
  interface SignOptions {
    hash?: boolean;
    der?: boolean;
    publicKey?: string;
    userId?: string;
  }
  const smCrypto: {
    sm2: {
      doSignature(message: string | number[], privateKeyHex: string, options?: SignOptions): string;
      doVerifySignature(
        message: string | number[],
        signatureHex: string,
        publicKeyHex: string,
        options?: SignOptions,
      ): boolean;
    };
  };
  export default smCrypto;
}
