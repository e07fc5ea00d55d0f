// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {OutflowLimit} from "../../contracts/interfaces/IReserveVault.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {Vm, VM_ADDRESS} from "./Vm.sol";

/// @title What the vault fuzz tests share: fuzzed signer sets, deployment, signing, assertions.
/// @dev Not a test file (no `.t.sol`): the runner only compiles it through the tests' imports.
abstract contract VaultFuzzBase {
    Vm internal constant vm = Vm(VM_ADDRESS);

    /// @dev Order of the secp256k1 group: private keys lie in [1, ORDER - 1], and a signature
    ///      whose s exceeds ORDER / 2 is "high-s" (its malleable twin is (r, ORDER - s, v ^ 1)).
    uint256 internal constant SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /// @dev Largest fuzzed signer set: enough for every ordering case, small enough to stay fast.
    uint256 internal constant MAX_FUZZED_SIGNERS = 12;

    /// @dev Guardians of every fuzzed vault: fixed small addresses (never a derived signer's), at
    ///      least three, more when M needs them for a valid council threshold.
    uint256 internal constant MIN_GUARDIANS = 3;
    uint256 internal constant GUARDIAN_THRESHOLD = 2;

    /// @dev The vault's first membership epoch (the one every test here signs under).
    uint32 internal constant FIRST_EPOCH = 1;

    /// @dev The vault's delay bounds (ReserveVault.MIN_DELAY …), usable in pure helpers;
    ///      `_deployVault` checks that they still match the contract's.
    uint256 internal constant MIN_DELAY = 1 hours;
    uint256 internal constant MAX_DELAY = 30 days;
    uint256 internal constant MIN_EXECUTION_WINDOW = 1 hours;
    uint256 internal constant MAX_EXECUTION_WINDOW = 30 days;

    struct Signer {
        address account;
        uint256 key;
    }

    struct Delays {
        uint256 withdrawal;
        uint256 config;
        uint256 window;
    }

    // -------------------------------------------------------------------------------------
    // Inputs
    // -------------------------------------------------------------------------------------

    /// @dev Maps `x` onto [min, max] (both inclusive), like forge-std's `bound`, without
    ///      discarding the input. Requires max - min < 2**256 - 1.
    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }

    /// @dev `n` distinct signers whose keys are derived from `seed`, sorted by address ascending
    ///      (the vault's order). A key whose address is already taken is skipped, so the set is
    ///      deduplicated whatever the seed.
    function _makeSigners(uint256 seed, uint256 n) internal pure returns (Signer[] memory signers) {
        signers = new Signer[](n);
        uint256 derivation = 0;
        for (uint256 count = 0; count < n;) {
            uint256 key = _bound(uint256(keccak256(abi.encode(seed, derivation++))), 1, SECP256K1_ORDER - 1);
            address account = vm.addr(key);
            // Insertion sort: find the slot, rejecting an address that is already present.
            uint256 at = count;
            bool duplicate = false;
            while (at > 0 && signers[at - 1].account >= account) {
                if (signers[at - 1].account == account) {
                    duplicate = true;
                    break;
                }
                --at;
            }
            if (duplicate) continue;
            for (uint256 i = count; i > at; --i) {
                signers[i] = signers[i - 1];
            }
            signers[at] = Signer(account, key);
            ++count;
        }
    }

    /// @dev The signers whose bit is set in `mask` (bit i = signers[i]), still ascending.
    function _subset(Signer[] memory signers, uint256 mask) internal pure returns (Signer[] memory chosen) {
        uint256 k = 0;
        for (uint256 i = 0; i < signers.length; ++i) {
            if (mask & (1 << i) != 0) ++k;
        }
        chosen = new Signer[](k);
        uint256 j = 0;
        for (uint256 i = 0; i < signers.length; ++i) {
            if (mask & (1 << i) != 0) chosen[j++] = signers[i];
        }
    }

    /// @dev Delays inside the vault's bounds, with configDelay >= withdrawalDelay.
    function _boundDelays(uint256 withdrawalRaw, uint256 configRaw, uint256 windowRaw)
        internal
        pure
        returns (Delays memory delays)
    {
        delays.withdrawal = _bound(withdrawalRaw, MIN_DELAY, MAX_DELAY);
        delays.config = _bound(configRaw, delays.withdrawal, MAX_DELAY);
        delays.window = _bound(windowRaw, MIN_EXECUTION_WINDOW, MAX_EXECUTION_WINDOW);
    }

    // -------------------------------------------------------------------------------------
    // Deployment
    // -------------------------------------------------------------------------------------

    /// @dev Deploys a vault of `signers` (handed over in reverse, so the constructor's sort is
    ///      exercised too) and checks that its bounds are the ones the tests assume.
    function _deployVault(Signer[] memory signers, uint256 threshold, Delays memory delays)
        internal
        returns (ReserveVault vault)
    {
        OutflowLimit[] memory limits = new OutflowLimit[](1);
        limits[0] = OutflowLimit({asset: address(0), limit: type(uint96).max});
        return _deployVault(
            signers,
            threshold,
            delays,
            ReserveVault.InitialPolicy({
                outflowPeriod: 1 days,
                outflowLimits: limits,
                allowlist: new address[](0),
                allowlistEnabled: false
            })
        );
    }

    /// @dev A guardian module with enough guardians for a valid council threshold whatever M:
    ///      with q = max(M, K), G >= 2q - N + 2 keeps (N + G) / 2 + 1 <= N + G - q.
    function _deployModule(uint256 signerCount, uint256 threshold) private returns (GuardianModule) {
        uint256 quorum = threshold > GUARDIAN_THRESHOLD ? threshold : GUARDIAN_THRESHOLD;
        uint256 guardianCount = 2 * quorum + 2 > signerCount ? 2 * quorum + 2 - signerCount : 0;
        if (guardianCount < MIN_GUARDIANS) guardianCount = MIN_GUARDIANS;
        address[] memory guardians = new address[](guardianCount);
        for (uint256 i = 0; i < guardianCount; ++i) {
            guardians[i] = address(uint160(0x6A00 + i)); // fixed, ascending, never a derived signer
        }
        // Council: a strict majority of all keys, above either quorum.
        uint256 majority = (signerCount + guardianCount) / 2 + 1;
        return new GuardianModule(guardians, GUARDIAN_THRESHOLD, majority > quorum ? majority : quorum + 1);
    }

    /// @dev The deployment alone, in its own frame: encoding the constructor's arguments is deep.
    function _newVault(
        ReserveVault.InitialConfig memory config,
        ReserveVault.InitialPolicy memory policy,
        GuardianModule module
    ) private returns (ReserveVault) {
        ConfigRules rules = new ConfigRules();
        // The bounds the tests assume are the rules' own.
        _assertEq(rules.MIN_DELAY(), MIN_DELAY, "MIN_DELAY");
        _assertEq(rules.MAX_DELAY(), MAX_DELAY, "MAX_DELAY");
        _assertEq(rules.MIN_EXECUTION_WINDOW(), MIN_EXECUTION_WINDOW, "MIN_EXECUTION_WINDOW");
        _assertEq(rules.MAX_EXECUTION_WINDOW(), MAX_EXECUTION_WINDOW, "MAX_EXECUTION_WINDOW");
        return new ReserveVault(config, policy, module, rules);
    }

    /// @dev As above, with an explicit outflow period, limits and allowlist.
    function _deployVault(
        Signer[] memory signers,
        uint256 threshold,
        Delays memory delays,
        ReserveVault.InitialPolicy memory policy
    )
        internal
        returns (ReserveVault vault)
    {
        address[] memory accounts = new address[](signers.length);
        for (uint256 i = 0; i < signers.length; ++i) {
            accounts[signers.length - 1 - i] = signers[i].account;
        }
        uint256 maxFreeze = delays.window > 1 hours ? 1 hours : delays.window - 1;
        GuardianModule module = _deployModule(signers.length, threshold);
        ReserveVault.InitialConfig memory config = ReserveVault.InitialConfig({
            signers: accounts,
            threshold: threshold,
            withdrawalDelay: delays.withdrawal,
            configDelay: delays.config,
            executionWindow: delays.window,
            longDelay: delays.withdrawal,
            coolOff: MIN_DELAY,
            recoveryDelay: delays.config,
            councilDelay: delays.config,
            maxFreeze: maxFreeze,
            freezeCooldown: maxFreeze,
            vetoQuietPeriod: delays.withdrawal
        });
        vault = _newVault(config, policy, module);
    }

    // -------------------------------------------------------------------------------------
    // Signatures: one 65-byte abi.encodePacked(r, s, v) per signer
    // -------------------------------------------------------------------------------------

    function _signOne(Signer memory signer, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signer.key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev One signature per signer, in the order given.
    function _signEach(Signer[] memory signers, bytes32 digest) internal pure returns (bytes[] memory sigs) {
        sigs = new bytes[](signers.length);
        for (uint256 i = 0; i < signers.length; ++i) {
            sigs[i] = _signOne(signers[i], digest);
        }
    }

    /// @dev The concatenation the vault's `signatures` argument expects.
    function _join(bytes[] memory sigs) internal pure returns (bytes memory packed) {
        for (uint256 i = 0; i < sigs.length; ++i) {
            packed = bytes.concat(packed, sigs[i]);
        }
    }

    /// @dev `items` with `item` inserted at `position` (0 = front, items.length = back).
    function _insertAt(bytes[] memory items, uint256 position, bytes memory item)
        internal
        pure
        returns (bytes[] memory out)
    {
        out = new bytes[](items.length + 1);
        for (uint256 i = 0; i < out.length; ++i) {
            out[i] = i < position ? items[i] : i == position ? item : items[i - 1];
        }
    }

    // -------------------------------------------------------------------------------------
    // Assertions (no forge-std): a failed one reverts with a message, which fails the test
    // -------------------------------------------------------------------------------------

    function _assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) {
            revert(string.concat(what, ": got ", vm.toString(actual), ", expected ", vm.toString(expected)));
        }
    }

    function _assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        _assertEq(uint256(actual), uint256(expected), what);
    }

    function _assertEq(address actual, address expected, string memory what) internal pure {
        _assertEq(uint256(uint160(actual)), uint256(uint160(expected)), what);
    }

    function _assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert(string.concat("assertion failed: ", what));
    }
}
