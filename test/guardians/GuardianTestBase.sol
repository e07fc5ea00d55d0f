// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {
    ConfigAction,
    ConfigChange,
    CouncilChange,
    IReserveVaultEvents,
    OutflowLimit,
    Recovery,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {OperationHashing} from "../../contracts/libraries/OperationHashing.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {VaultFuzzBase} from "../fuzz/VaultFuzzBase.sol";

/// @title What the guardian module's unit tests share: one 2-of-3 vault guarded by 2-of-3 guardians.
/// @notice Ten keys with known private keys, sorted by address: signers are keys 0, 2, 4, guardians
///         keys 1, 3, 5 (so the council's sorted union is keys 0-5), and keys 6-9 are outsiders
///         that recoveries and council changes may install. Council threshold C = 4, the only valid
///         one for N = G = 3, M = K = 2. Delays are the invariant handler's realistic ones.
/// @dev Not a test file (no `.t.sol`). Tests keep their own clock (`now_`) and never read
///      block.timestamp: under via-IR a read after `vm.warp` may be stale.
abstract contract GuardianTestBase is VaultFuzzBase, IReserveVaultEvents {
    uint256 internal constant WITHDRAWAL_DELAY = 1 days;
    uint256 internal constant CONFIG_DELAY = 2 days;
    uint256 internal constant EXECUTION_WINDOW = 7 days;
    uint256 internal constant LONG_DELAY = 3 days;
    uint256 internal constant COOL_OFF = 7 days;
    uint256 internal constant RECOVERY_DELAY = 3 days;
    uint256 internal constant COUNCIL_DELAY = 4 days;
    uint256 internal constant MAX_FREEZE = 3 days;
    uint256 internal constant FREEZE_COOLDOWN = 7 days;
    uint256 internal constant VETO_QUIET_PERIOD = 7 days;

    uint256 internal constant START = 1_700_000_000;
    uint256 internal constant SIGNER_THRESHOLD = 2;
    uint256 internal constant GUARDIAN_K = 2;
    uint256 internal constant COUNCIL = 4;
    uint256 internal constant KEY_SEED = uint256(keccak256("GuardianModule.t.keys"));
    address internal constant RECIPIENT = address(uint160(uint256(keccak256("GuardianModule.t.recipient"))));
    address internal constant OUTSIDER = address(uint160(uint256(keccak256("GuardianModule.t.outsider"))));
    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    ReserveVault internal vault;
    GuardianModule internal module;
    ConfigRules internal rules;
    /// @dev The test's clock: the current block time.
    uint256 internal now_;
    /// @dev The module's EIP-712 domain separator (for Veto, Freeze, Unfreeze and Heartbeat digests).
    bytes32 internal moduleDomain;
    Signer[] internal pool;

    /// @notice Deploys the module (guardians 1, 3, 5), the rules and the vault (signers 0, 2, 4) at START.
    function setUp() public virtual {
        _warp(START);
        Signer[] memory keys = _makeSigners(KEY_SEED, 10);
        for (uint256 i = 0; i < keys.length; ++i) {
            pool.push(keys[i]);
        }
        module = new GuardianModule(_accounts(_keys(1, 3, 5)), GUARDIAN_K, COUNCIL);
        rules = new ConfigRules();
        vault = new ReserveVault(_config(), _policy(), module, rules);
        vm.deal(address(vault), 100 ether);
        moduleDomain = _domainOf(module);
    }

    // -------------------------------------------------------------------------------------
    // Deployment
    // -------------------------------------------------------------------------------------

    function _config() internal view returns (ReserveVault.InitialConfig memory) {
        return ReserveVault.InitialConfig({
            signers: _accounts(_keys(0, 2, 4)),
            threshold: SIGNER_THRESHOLD,
            withdrawalDelay: WITHDRAWAL_DELAY,
            configDelay: CONFIG_DELAY,
            executionWindow: EXECUTION_WINDOW,
            longDelay: LONG_DELAY,
            coolOff: COOL_OFF,
            recoveryDelay: RECOVERY_DELAY,
            councilDelay: COUNCIL_DELAY,
            maxFreeze: MAX_FREEZE,
            freezeCooldown: FREEZE_COOLDOWN,
            vetoQuietPeriod: VETO_QUIET_PERIOD
        });
    }

    function _policy() internal pure returns (ReserveVault.InitialPolicy memory) {
        OutflowLimit[] memory limits = new OutflowLimit[](1);
        limits[0] = OutflowLimit({asset: address(0), limit: type(uint96).max});
        return ReserveVault.InitialPolicy({
            outflowPeriod: 1 days, outflowLimits: limits, allowlist: new address[](0), allowlistEnabled: false
        });
    }

    function _domainOf(GuardianModule m) internal view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) = m.eip712Domain();
        return keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256(bytes(version)), chainId, verifyingContract
            )
        );
    }

    // -------------------------------------------------------------------------------------
    // Keys and signatures
    // -------------------------------------------------------------------------------------

    function _key(uint256 i) internal view returns (Signer memory) {
        return pool[i];
    }

    function _keys(uint256 a) internal view returns (Signer[] memory s) {
        s = new Signer[](1);
        s[0] = pool[a];
    }

    function _keys(uint256 a, uint256 b) internal view returns (Signer[] memory s) {
        s = new Signer[](2);
        (s[0], s[1]) = (pool[a], pool[b]);
    }

    function _keys(uint256 a, uint256 b, uint256 c) internal view returns (Signer[] memory s) {
        s = new Signer[](3);
        (s[0], s[1], s[2]) = (pool[a], pool[b], pool[c]);
    }

    /// @dev Keys `from` .. `to - 1` of the pool (ascending).
    function _range(uint256 from, uint256 to) internal view returns (Signer[] memory s) {
        s = new Signer[](to - from);
        for (uint256 i = from; i < to; ++i) {
            s[i - from] = pool[i];
        }
    }

    function _accounts(Signer[] memory s) internal pure returns (address[] memory a) {
        a = new address[](s.length);
        for (uint256 i = 0; i < s.length; ++i) {
            a[i] = s[i].account;
        }
    }

    /// @dev Concatenated signatures of `keys` (ascending) over `digest`.
    function _sign(Signer[] memory keys, bytes32 digest) internal pure returns (bytes memory) {
        return _join(_signEach(keys, digest));
    }

    /// @dev A digest in the module's EIP-712 domain.
    function _moduleDigest(bytes32 structHash) internal view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(moduleDomain, structHash);
    }

    function _guardianEpoch() internal view returns (uint32 epoch) {
        (epoch,,,) = module.guardianCounts();
    }

    function _vetoDigest(bytes32 id) internal view returns (bytes32) {
        return _moduleDigest(OperationHashing.hashVeto(id, _guardianEpoch()));
    }

    function _freezeDigest(uint32 nonce) internal view returns (bytes32) {
        return _moduleDigest(OperationHashing.hashFreeze(nonce, _guardianEpoch()));
    }

    function _unfreezeDigest(uint32 nonce, uint32 epoch) internal view returns (bytes32) {
        return _moduleDigest(OperationHashing.hashUnfreeze(nonce, epoch));
    }

    // -------------------------------------------------------------------------------------
    // Time
    // -------------------------------------------------------------------------------------

    function _warp(uint256 to) internal {
        now_ = to;
        vm.warp(to);
    }

    function _skip(uint256 by) internal {
        _warp(now_ + by);
    }

    // -------------------------------------------------------------------------------------
    // Actions
    // -------------------------------------------------------------------------------------

    /// @dev Signers 0 and 2 queue an ETH withdrawal of `amount` in `slot`.
    function _queueWithdrawal(uint256 slot, uint256 amount) internal returns (Withdrawal memory w, bytes32 id) {
        w = Withdrawal(address(0), RECIPIENT, amount, vault.withdrawalNonce(address(0)), _epoch());
        id = vault.withdrawalId(w);
        vault.queueWithdrawal(w, slot, _sign(_keys(0, 2), id));
    }

    /// @dev Guardians 1 and 3 freeze withdrawals (next freeze nonce).
    function _freeze() internal {
        (,,, uint32 freezeCount,,) = module.guardianStatus();
        module.freeze(_sign(_keys(1, 3), _freezeDigest(freezeCount)));
    }

    /// @dev A recovery to `keys` with `threshold`, for the next recovery nonce and the current guardian epoch.
    function _recovery(Signer[] memory keys, uint256 threshold) internal view returns (Recovery memory r) {
        (,,,, uint32 nonce,) = module.guardianStatus();
        r = Recovery(_accounts(keys), threshold, nonce, _guardianEpoch());
    }

    /// @dev Guardians 1 and 3 queue `r`.
    function _queueRecovery(Recovery memory r) internal returns (bytes32 id) {
        return module.queueRecovery(r, _sign(_keys(1, 3), module.recoveryId(r)));
    }

    /// @dev The council change for the next council nonce (the caller fills in its groups).
    function _councilChange() internal view returns (CouncilChange memory c) {
        (,,,,, c.nonce) = module.guardianStatus();
        c.councilThreshold = COUNCIL;
    }

    /// @dev Council keys 0-3 (signers 0, 2 and guardians 1, 3: C = 4) queue `c`.
    function _queueCouncilChange(CouncilChange memory c) internal returns (bytes32 id) {
        return module.queueCouncilChange(c, _sign(_range(0, 4), module.councilChangeId(c)));
    }

    function _epoch() internal view returns (uint32 epoch) {
        (epoch,,,,,,) = vault.configuration();
    }

    /// @dev A vault configuration change for the next configuration nonce and the current epoch.
    function _configChange(ConfigAction action, address account, address replacement, uint256 value)
        internal
        view
        returns (ConfigChange memory c)
    {
        (uint32 epoch,,,,,, uint32 nonce) = vault.configuration();
        c = ConfigChange(action, account, replacement, value, nonce, epoch);
    }

    /// @dev Signers 0 and 2 queue `c` in `slot`; it executes after the configuration delay.
    function _queueConfig(ConfigChange memory c, uint256 slot) internal {
        vault.queueConfigChange(c, slot, _sign(_keys(0, 2), vault.configChangeId(c)));
    }

    /// @dev Queues `c` in slot 0, waits the configuration delay and executes it.
    function _executeConfig(ConfigChange memory c) internal {
        _queueConfig(c, 0);
        _skip(CONFIG_DELAY);
        vault.executeConfigChange(c, 0);
    }

    // -------------------------------------------------------------------------------------
    // Views
    // -------------------------------------------------------------------------------------

    function _frozenUntil() internal view returns (uint256) {
        return vault.frozenUntil();
    }

    function _recoveryPending() internal view returns (bytes32 id, uint256 eta, uint256 deadline, bool queued) {
        (id, eta, deadline, queued,,,,) = module.pending();
    }

    function _councilPending() internal view returns (bytes32 id, uint256 eta, uint256 deadline, bool queued) {
        (,,,, id, eta, deadline, queued) = module.pending();
    }

    function _assertSameSet(address[] memory actual, address[] memory expected, string memory what) internal pure {
        _assertEq(actual.length, expected.length, string.concat(what, " length"));
        for (uint256 i = 0; i < actual.length; ++i) {
            _assertEq(actual[i], expected[i], what);
        }
    }
}
